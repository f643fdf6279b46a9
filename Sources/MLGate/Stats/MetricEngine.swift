#if canImport(Glibc)
  import Glibc
#endif

/// Computes quality metrics on an ``Evaluation``, optionally with per-row weights.
///
/// Weights are bootstrap multiplicities: a resample is the same rows with integer counts, so
/// the work that does not depend on the resample (sorting by score) is done once here and
/// every resample is a linear pass. Definitions follow scikit-learn 1.9 with
/// `zero_division=0`; the tests compare against scikit-learn on the fixtures to 1e-9.
///
/// Beside the evaluation it keeps one byte per row (``ranks``), so that holding it costs
/// little more than the scored data.
package struct MetricEngine: Sendable {
  package let evaluation: Evaluation
  /// Binary tasks with scores: one ``RankCode`` per row, in descending score (ties in row
  /// order): the ranking metrics and the bootstrap walk it instead of the rows.
  let ranks: [UInt8]

  /// scikit-learn's probability clipping for log loss: float64 machine epsilon.
  static let epsilon = 2.220446049250313e-16

  package init(_ evaluation: Evaluation) {
    self.evaluation = evaluation
    guard case .classification(let data) = evaluation, let positive = data.positive,
      let scores = data.positiveScores
    else {
      ranks = []
      return
    }
    let truth = data.truth
    let predicted = data.predicted
    ranks = DescendingOrder.codes(scores) { row, endsTie in
      RankCode.make(
        positive: truth[row] == positive, endsTie: endsTie, predictedOne: predicted[row] == 1)
    }
  }

  /// The rows in descending score, ties in row order.
  static func descendingOrder(_ scores: [Double]) -> [Int32] { DescendingOrder.of(scores) }

  /// A row's loss under a metric that averages one (log loss, Brier score), classification.
  static func rowLoss(_ metric: Metric, _ data: ClassificationData, _ row: Int) -> Double {
    switch metric {
    case .logLoss:
      let p = min(
        max(data.trueClassProbability(row) ?? .nan, MetricEngine.epsilon),
        1 - MetricEngine.epsilon)
      return -log(p)
    case .brierScore:
      guard let scores = data.positiveScores else { return .nan }
      let target = data.truth[row] == data.positive ? 1.0 : 0.0
      return (target - scores[row]) * (target - scores[row])
    default: return .nan
    }
  }

  /// Why a metric cannot be computed on this evaluation, or nil when it can.
  func unavailability(_ metric: Metric) -> String? {
    guard case .classification(let data) = evaluation else { return nil }
    if metric.needsProbabilities, data.probabilities == nil {
      return "\(metric.rawValue) needs class probabilities, but the model returns labels only"
    }
    if metric == .areaUnderROC || metric == .areaUnderPR, let positive = data.positive {
      let positives = data.truth.count(where: { $0 == positive })
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
    case .areaUnderROC, .areaUnderPR:
      guard !ranks.isEmpty else { return .nan }
      // With weights, the weight of each rank's row (the rows sorted once more).
      let order = weights.map { _ in data.positiveScores.map(MetricEngine.descendingOrder) ?? [] }
      let weight: (Int) -> Double = { rank in
        guard let weights, let order else { return 1 }
        return weights[Int(order[rank])]
      }
      return metric == .areaUnderROC ? areaUnderROC(weight) : areaUnderPR(weight)
    case .logLoss, .brierScore:
      guard data.probabilities != nil else { return .nan }
      if metric == .brierScore, data.positiveScores == nil { return .nan }
      var sum = 0.0
      var total = 0.0
      for row in data.truth.indices {
        let weight = weights?[row] ?? 1
        guard weight > 0 else { continue }
        sum += weight * MetricEngine.rowLoss(metric, data, row)
        total += weight
      }
      return total > 0 ? sum / total : .nan
    default:
      return ConfusionMatrix(data, weights: weights).value(metric, positive: data.positive ?? 1)
    }
  }

  /// Area under the ROC curve: the probability that a positive outranks a negative (ties ½).
  private func areaUnderROC(_ weight: (Int) -> Double) -> Double {
    var area = 0.0
    var positivesAbove = 0.0
    var groupPositives = 0.0
    var groupNegatives = 0.0
    var totalNegatives = 0.0
    for (rank, code) in ranks.enumerated() {
      if RankCode.isPositive(code) {
        groupPositives += weight(rank)
      } else {
        groupNegatives += weight(rank)
      }
      if RankCode.endsTie(code) {
        area += groupNegatives * (positivesAbove + groupPositives / 2)
        positivesAbove += groupPositives
        totalNegatives += groupNegatives
        groupPositives = 0
        groupNegatives = 0
      }
    }
    guard positivesAbove > 0, totalNegatives > 0 else { return .nan }
    return area / (positivesAbove * totalNegatives)
  }

  /// Average precision (scikit-learn's `average_precision_score`: a step sum, no interpolation).
  private func areaUnderPR(_ weight: (Int) -> Double) -> Double {
    var totalPositives = 0.0
    for (rank, code) in ranks.enumerated() where RankCode.isPositive(code) {
      totalPositives += weight(rank)
    }
    guard totalPositives > 0 else { return .nan }
    var truePositives = 0.0
    var falsePositives = 0.0
    var previousRecall = 0.0
    var sum = 0.0
    for (rank, code) in ranks.enumerated() {
      if RankCode.isPositive(code) {
        truePositives += weight(rank)
      } else {
        falsePositives += weight(rank)
      }
      if RankCode.endsTie(code) {
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
}

/// One row of a binary task in descending score, as a byte: whether it is positive, whether it
/// ends a group of tied scores, and whether it is predicted as class 1.
enum RankCode {
  static func make(positive: Bool, endsTie: Bool, predictedOne: Bool) -> UInt8 {
    (positive ? 1 : 0) | (endsTie ? 2 : 0) | (predictedOne ? 4 : 0)
  }
  static func isPositive(_ code: UInt8) -> Bool { code & 1 != 0 }
  static func endsTie(_ code: UInt8) -> Bool { code & 2 != 0 }
  static func predictedOne(_ code: UInt8) -> Bool { code & 4 != 0 }
}
