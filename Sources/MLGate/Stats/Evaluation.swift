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

/// Class labels as indices into ``classes``, and the probabilities the metrics need.
///
/// Kept compact, since a run holds it for every scored row: a byte per row for each label, and
/// one probability per row rather than the model's whole row of them.
package struct ClassificationData: Sendable {
  /// Class names; the order of the model's probability columns.
  package var classes: [String]
  /// True class per row.
  package var truth: ClassColumn
  /// Predicted class per row.
  package var predicted: ClassColumn
  /// What is kept of the model's probabilities, when it gives them.
  package var probabilities: ClassProbabilities?
  /// The positive class of a binary task.
  package var positive: Int?

  /// Creates classification data from its compact columns.
  package init(
    classes: [String], truth: ClassColumn, predicted: ClassColumn,
    probabilities: ClassProbabilities?, positive: Int?
  ) {
    self.classes = classes
    self.truth = truth
    self.predicted = predicted
    self.probabilities = probabilities
    self.positive = positive
  }

  /// Creates classification data from class indices and a row-major `count × classes.count`
  /// matrix of probabilities (keeping what ``ClassProbabilities`` keeps of it).
  package init(
    classes: [String], truth: [Int], predicted: [Int], probabilities matrix: [Double]?,
    positive: Int?
  ) {
    let k = classes.count
    self.init(
      classes: classes, truth: ClassColumn(truth), predicted: ClassColumn(predicted),
      probabilities: matrix.map { matrix in
        if let positive {
          return .positive(truth.indices.map { matrix[$0 * k + positive] })
        }
        return .trueClass(truth.indices.map { matrix[$0 * k + truth[$0]] })
      }, positive: positive)
  }

  /// The probability of the positive class per row (binary tasks with probabilities).
  package var positiveScores: [Double]? {
    if case .positive(let scores) = probabilities { scores } else { nil }
  }

  /// The probability the model gave `row`'s true class.
  func trueClassProbability(_ row: Int) -> Double? {
    switch probabilities {
    case .positive(let scores):
      return truth[row] == positive ? scores[row] : 1 - scores[row]
    case .trueClass(let values): return values[row]
    case nil: return nil
    }
  }
}

/// What a classification keeps of the model's probabilities: what its metrics read, one
/// number per row.
package enum ClassProbabilities: Sendable, Equatable {
  /// A binary task: the positive class's probability (the other's is its complement).
  case positive([Double])
  /// Otherwise: the probability given to each row's true class (log loss reads nothing else).
  case trueClass([Double])
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
      let probabilities: ClassProbabilities? =
        switch data.probabilities {
        case .positive(let scores): .positive(rows.map { scores[$0] })
        case .trueClass(let values): .trueClass(rows.map { values[$0] })
        case nil: nil
        }
      return .classification(
        ClassificationData(
          classes: data.classes, truth: ClassColumn(rows.lazy.map { data.truth[$0] }),
          predicted: ClassColumn(rows.lazy.map { data.predicted[$0] }),
          probabilities: probabilities, positive: data.positive))
    }
  }
}
