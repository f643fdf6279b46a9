/// A (weighted) confusion matrix: rows are true classes, columns predicted classes.
struct ConfusionMatrix {
  let k: Int
  private(set) var counts: [Double]
  private(set) var rowSums: [Double]
  private(set) var columnSums: [Double]
  private(set) var total = 0.0

  init(_ data: ClassificationData, weights: [Double]?) {
    k = data.classes.count
    counts = [Double](repeating: 0, count: k * k)
    rowSums = [Double](repeating: 0, count: k)
    columnSums = [Double](repeating: 0, count: k)
    for row in data.truth.indices {
      let weight = weights?[row] ?? 1
      guard weight > 0 else { continue }
      counts[data.truth[row] * k + data.predicted[row]] += weight
      rowSums[data.truth[row]] += weight
      columnSums[data.predicted[row]] += weight
      total += weight
    }
  }

  /// A matrix from its `k × k` cell counts, row-major (rows are true classes).
  init(k: Int, counts: [Double]) {
    self.k = k
    self.counts = counts
    rowSums = [Double](repeating: 0, count: k)
    columnSums = [Double](repeating: 0, count: k)
    for truth in 0..<k {
      for predicted in 0..<k {
        rowSums[truth] += counts[truth * k + predicted]
        columnSums[predicted] += counts[truth * k + predicted]
      }
    }
    total = rowSums.reduce(0, +)
  }

  func cell(_ truth: Int, _ predicted: Int) -> Double { counts[truth * k + predicted] }

  /// The value of a metric the matrix alone gives (NaN for the others).
  func value(_ metric: Metric, positive: Int) -> Double {
    switch metric {
    case .accuracy: return accuracy
    case .balancedAccuracy: return balancedAccuracy
    case .matthewsCorrelation: return matthews
    case .precision: return precision(of: positive)
    case .recall: return recall(of: positive)
    case .f1Measure: return f1(of: positive)
    case .falsePositiveRate: return falsePositiveRate(of: positive)
    case .weightedPrecision: return weighted(precision)
    case .weightedRecall: return weighted(recall)
    case .weightedFMeasure: return weighted(f1)
    case .weightedFalsePositiveRate: return weighted(falsePositiveRate)
    case .macroPrecision: return macro(precision)
    case .macroRecall: return macro(recall)
    case .macroF1: return macro(f1)
    default: return .nan
    }
  }

  var accuracy: Double {
    guard total > 0 else { return .nan }
    return (0..<k).reduce(0) { $0 + cell($1, $1) } / total
  }

  /// Precision of one class (0 when nothing is predicted as it).
  func precision(of c: Int) -> Double { columnSums[c] > 0 ? cell(c, c) / columnSums[c] : 0 }
  /// Recall of one class (0 when it never occurs).
  func recall(of c: Int) -> Double { rowSums[c] > 0 ? cell(c, c) / rowSums[c] : 0 }
  /// F1 of one class: 2TP / (2TP + FP + FN).
  func f1(of c: Int) -> Double {
    let denominator = rowSums[c] + columnSums[c]
    return denominator > 0 ? 2 * cell(c, c) / denominator : 0
  }
  /// False positive rate of one class against the rest.
  func falsePositiveRate(of c: Int) -> Double {
    let falsePositives = columnSums[c] - cell(c, c)
    let trueNegatives = total - rowSums[c] - columnSums[c] + cell(c, c)
    return falsePositives + trueNegatives > 0
      ? falsePositives / (falsePositives + trueNegatives) : 0
  }

  /// The support-weighted mean of a per-class figure.
  func weighted(_ figure: (Int) -> Double) -> Double {
    guard total > 0 else { return .nan }
    return (0..<k).reduce(0) { $0 + figure($1) * rowSums[$1] } / total
  }

  /// The plain mean over the classes that occur in the truth or the predictions.
  func macro(_ figure: (Int) -> Double) -> Double {
    let present = (0..<k).filter { rowSums[$0] > 0 || columnSums[$0] > 0 }
    guard !present.isEmpty else { return .nan }
    return present.reduce(0) { $0 + figure($1) } / Double(present.count)
  }

  /// The mean recall over the classes that occur in the truth.
  var balancedAccuracy: Double {
    let present = (0..<k).filter { rowSums[$0] > 0 }
    guard !present.isEmpty else { return .nan }
    return present.reduce(0) { $0 + recall(of: $1) } / Double(present.count)
  }

  /// Matthews correlation coefficient, multiclass form (Gorodkin), 0 when undefined.
  var matthews: Double {
    let correct = (0..<k).reduce(0) { $0 + cell($1, $1) }
    var predictedTrue = 0.0
    var predictedSquares = 0.0
    var trueSquares = 0.0
    for c in 0..<k {
      predictedTrue += columnSums[c] * rowSums[c]
      predictedSquares += columnSums[c] * columnSums[c]
      trueSquares += rowSums[c] * rowSums[c]
    }
    let covariance = correct * total - predictedTrue
    let denominator = ((total * total - predictedSquares) * (total * total - trueSquares))
      .squareRoot()
    return denominator > 0 ? covariance / denominator : 0
  }
}
