/// The labels and predictions of a scored dataset, ready for metrics.
///
/// Memory is a few numbers per row; the rows themselves are not kept.
package enum Evaluation: Sendable {
  /// Class labels (and probabilities where the model gives them).
  case classification(ClassificationData)
  /// Numbers.
  case regression(RegressionData)

  /// The number of scored rows.
  package var count: Int {
    switch self {
    case .classification(let data): return data.truth.count
    case .regression(let data): return data.truth.count
    }
  }
}

/// Class labels as indices into ``classes``.
package struct ClassificationData: Sendable {
  /// Class names; the order of the probability columns.
  package var classes: [String]
  /// True class per row.
  package var truth: [Int]
  /// Predicted class per row.
  package var predicted: [Int]
  /// Row-major `count × classes.count` probabilities, when the model gives them.
  package var probabilities: [Double]?
  /// The positive class of a binary task.
  package var positive: Int?

  /// Creates classification data.
  package init(
    classes: [String], truth: [Int], predicted: [Int], probabilities: [Double]?, positive: Int?
  ) {
    self.classes = classes
    self.truth = truth
    self.predicted = predicted
    self.probabilities = probabilities
    self.positive = positive
  }

  /// The probability of the positive class per row (binary tasks with probabilities).
  package var positiveScores: [Double]? {
    guard let probabilities, let positive else { return nil }
    let k = classes.count
    return (0..<truth.count).map { probabilities[$0 * k + positive] }
  }
}

/// Regression truth and predictions.
package struct RegressionData: Sendable {
  /// True values.
  package var truth: [Double]
  /// Predicted values.
  package var predicted: [Double]

  /// Creates regression data.
  package init(truth: [Double], predicted: [Double]) {
    self.truth = truth
    self.predicted = predicted
  }
}

extension Evaluation {
  /// The same evaluation restricted to `rows`, in their order.
  func subset(_ rows: [Int]) -> Evaluation {
    switch self {
    case .regression(let data):
      return .regression(
        RegressionData(
          truth: rows.map { data.truth[$0] }, predicted: rows.map { data.predicted[$0] }))
    case .classification(let data):
      let k = data.classes.count
      return .classification(
        ClassificationData(
          classes: data.classes, truth: rows.map { data.truth[$0] },
          predicted: rows.map { data.predicted[$0] },
          probabilities: data.probabilities.map { probabilities in
            rows.flatMap { probabilities[($0 * k)..<($0 * k + k)] }
          }, positive: data.positive))
    }
  }
}
