#if canImport(Glibc)
  import Glibc
#endif

/// Computes quality metrics on an ``Evaluation``, optionally with per-row weights.
///
/// Weights are bootstrap multiplicities: a resample is the same rows with integer counts, so
/// the work that does not depend on the resample (sorting by score, per-row losses) is done
/// once here and every resample is a linear pass. Definitions follow scikit-learn 1.9 with
/// `zero_division=0`; the tests compare against scikit-learn on the fixtures to 1e-9.
package struct MetricEngine: Sendable {
  package let evaluation: Evaluation
  /// Rows in descending score (binary tasks with scores), and whether each ends a group of tied
  /// scores: sorted once, for the ranking metrics here and in ``ResampleLayout``.
  let order: [Int]
  let tieEnds: [Bool]
  private let rowLogLoss: [Double]?
  private let rowBrier: [Double]?

  /// scikit-learn's probability clipping for log loss: float64 machine epsilon.
  static let epsilon = 2.220446049250313e-16

  package init(_ evaluation: Evaluation) {
    self.evaluation = evaluation
    guard case .classification(let data) = evaluation else {
      order = []
      tieEnds = []
      rowLogLoss = nil
      rowBrier = nil
      return
    }
    if let scores = data.positiveScores {
      let sorted = scores.indices.sorted { scores[$0] > scores[$1] }
      order = sorted
      tieEnds = sorted.indices.map {
        $0 == sorted.count - 1 || scores[sorted[$0]] != scores[sorted[$0 + 1]]
      }
      if let positive = data.positive {
        rowBrier = scores.indices.map {
          let target = data.truth[$0] == positive ? 1.0 : 0.0
          return (target - scores[$0]) * (target - scores[$0])
        }
      } else {
        rowBrier = nil
      }
    } else {
      order = []
      tieEnds = []
      rowBrier = nil
    }
    if let probabilities = data.probabilities {
      let k = data.classes.count
      rowLogLoss = data.truth.indices.map { row in
        let p = min(
          max(probabilities[row * k + data.truth[row]], MetricEngine.epsilon),
          1 - MetricEngine.epsilon)
        return -log(p)
      }
    } else {
      rowLogLoss = nil
    }
  }

  /// The per-row losses the mean metrics average, by row.
  var rowColumns: [ResampleLayout.Column: [Double]] {
    var columns: [ResampleLayout.Column: [Double]] = [:]
    columns[.logLoss] = rowLogLoss
    columns[.brier] = rowBrier
    return columns
  }

  /// Why a metric cannot be computed on this evaluation, or nil when it can.
  func unavailability(_ metric: Metric) -> String? {
    guard case .classification(let data) = evaluation else { return nil }
    if metric.needsProbabilities, data.probabilities == nil {
      return "\(metric.rawValue) needs class probabilities, but the model returns labels only"
    }
    if metric == .areaUnderROC || metric == .areaUnderPR, let positive = data.positive {
      let positives = data.truth.filter { $0 == positive }.count
      if positives == 0 || positives == data.truth.count {
        return "\(metric.rawValue) needs both classes in the test data, but it holds only one"
      }
    }
    return nil
  }

  /// The metric's value with the given row weights (nil: every row once).
  package func value(_ metric: Metric, weights: [Double]? = nil) -> Double {
    switch evaluation {
    case .regression(let data): return regression(metric, data, weights)
    case .classification(let data): return classification(metric, data, weights)
    }
  }

  // MARK: - Classification

  private func classification(_ metric: Metric, _ data: ClassificationData, _ weights: [Double]?)
    -> Double
  {
    switch metric {
    case .areaUnderROC: return areaUnderROC(data, weights)
    case .areaUnderPR: return areaUnderPR(data, weights)
    case .logLoss: return rowLogLoss.map { weightedMean($0, weights) } ?? .nan
    case .brierScore: return rowBrier.map { weightedMean($0, weights) } ?? .nan
    default: break
    }
    return ConfusionMatrix(data, weights: weights).value(metric, positive: data.positive ?? 1)
  }

  /// Area under the ROC curve: the probability that a positive outranks a negative (ties ½).
  private func areaUnderROC(_ data: ClassificationData, _ weights: [Double]?) -> Double {
    guard let positive = data.positive, !order.isEmpty else { return .nan }
    var area = 0.0
    var positivesAbove = 0.0
    var groupPositives = 0.0
    var groupNegatives = 0.0
    var totalPositives = 0.0
    var totalNegatives = 0.0
    for (position, row) in order.enumerated() {
      let weight = weights?[row] ?? 1
      if data.truth[row] == positive { groupPositives += weight } else { groupNegatives += weight }
      if tieEnds[position] {
        area += groupNegatives * (positivesAbove + groupPositives / 2)
        positivesAbove += groupPositives
        totalPositives += groupPositives
        totalNegatives += groupNegatives
        groupPositives = 0
        groupNegatives = 0
      }
    }
    guard totalPositives > 0, totalNegatives > 0 else { return .nan }
    return area / (totalPositives * totalNegatives)
  }

  /// Average precision (scikit-learn's `average_precision_score`: a step sum, no interpolation).
  private func areaUnderPR(_ data: ClassificationData, _ weights: [Double]?) -> Double {
    guard let positive = data.positive, !order.isEmpty else { return .nan }
    var totalPositives = 0.0
    for row in order where data.truth[row] == positive { totalPositives += weights?[row] ?? 1 }
    guard totalPositives > 0 else { return .nan }
    var truePositives = 0.0
    var falsePositives = 0.0
    var previousRecall = 0.0
    var sum = 0.0
    for (position, row) in order.enumerated() {
      let weight = weights?[row] ?? 1
      if data.truth[row] == positive { truePositives += weight } else { falsePositives += weight }
      if tieEnds[position] {
        let predictedPositive = truePositives + falsePositives
        guard predictedPositive > 0 else { continue }
        let recall = truePositives / totalPositives
        sum += (recall - previousRecall) * (truePositives / predictedPositive)
        previousRecall = recall
      }
    }
    return sum
  }

  // MARK: - Regression

  private func regression(_ metric: Metric, _ data: RegressionData, _ weights: [Double]?) -> Double
  {
    let n = data.truth.count
    var total = 0.0
    var sumAbs = 0.0
    var sumSquares = 0.0
    var sumPercent = 0.0
    var sumTruth = 0.0
    var sumError = 0.0
    for row in 0..<n {
      let weight = weights?[row] ?? 1
      guard weight > 0 else { continue }
      let error = data.truth[row] - data.predicted[row]
      total += weight
      sumAbs += weight * abs(error)
      sumSquares += weight * error * error
      sumPercent += weight * abs(error) / max(abs(data.truth[row]), MetricEngine.epsilon)
      sumTruth += weight * data.truth[row]
      sumError += weight * error
    }
    guard total > 0 else { return .nan }
    switch metric {
    case .meanAbsoluteError: return sumAbs / total
    case .meanSquaredError: return sumSquares / total
    case .rootMeanSquaredError: return (sumSquares / total).squareRoot()
    case .meanAbsolutePercentageError: return sumPercent / total
    case .r2, .explainedVariance:
      let meanTruth = sumTruth / total
      let meanError = sumError / total
      var spread = 0.0
      var errorSpread = 0.0
      for row in 0..<n {
        let weight = weights?[row] ?? 1
        guard weight > 0 else { continue }
        spread += weight * (data.truth[row] - meanTruth) * (data.truth[row] - meanTruth)
        let centred = data.truth[row] - data.predicted[row] - meanError
        errorSpread += weight * centred * centred
      }
      let numerator = metric == .r2 ? sumSquares : errorSpread
      if spread == 0 { return numerator == 0 ? 1 : 0 }
      return 1 - numerator / spread
    default: return .nan
    }
  }

  private func weightedMean(_ values: [Double], _ weights: [Double]?) -> Double {
    guard let weights else { return values.reduce(0, +) / Double(values.count) }
    var sum = 0.0
    var total = 0.0
    for row in values.indices where weights[row] > 0 {
      sum += weights[row] * values[row]
      total += weights[row]
    }
    return total > 0 ? sum / total : .nan
  }
}
