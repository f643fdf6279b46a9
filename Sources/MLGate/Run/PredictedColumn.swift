/// A model's predictions on one file, reduced to one figure per row: what prediction drift
/// compares, never the rows themselves.
package struct PredictedColumn: Sendable {
  /// What each row's figure is.
  package enum Values: Sendable {
    /// The probability of the positive class (binary classification with probabilities).
    case scores([Double], positive: String)
    /// The predicted class, as an index into `names`.
    case classes(ClassColumn, names: [String])
    /// The predicted value (regression).
    case values([Double])
  }

  /// The figure of each row, in row order.
  package var values: Values
  /// The file scored.
  package var file: DataConfig.File

  /// The number of rows.
  package var rows: Int {
    switch values {
    case .scores(let scores, _): return scores.count
    case .classes(let codes, _): return codes.count
    case .values(let values): return values.count
    }
  }

  /// Creates a column.
  package init(values: Values, file: DataConfig.File) {
    self.values = values
    self.file = file
  }

  /// The predictions of a labelled scoring of `file`: the positive-class score of a binary
  /// classifier with probabilities, else the predicted class, or the predicted value.
  package init(_ evaluation: Evaluation, file: DataConfig.File) {
    self.file = file
    switch evaluation {
    case .classification(let data):
      if let scores = data.positiveScores, let positive = data.positive {
        values = .scores(scores, positive: data.classes[positive])
      } else {
        values = .classes(data.predicted, names: data.classes)
      }
    case .regression(let data):
      values = .values(data.predicted)
    }
  }
}
