/// `tests: regression:` — the candidate against the model in production on the same rows,
/// overall and per slice.
package struct RegressionConfig: Sendable {
  /// The compared metrics.
  ///
  /// Accuracy by exact McNemar, area under ROC by DeLong, the others by a paired stratified
  /// bootstrap. Defaults: accuracy and area under ROC for a classifier, mean absolute and root
  /// mean squared error for a regression task.
  package var metrics: [Metric] = [.accuracy, .areaUnderROC]
  /// Resamples of the paired bootstrap.
  package var resamples = 2000
  /// The slicings, in suite order.
  package var slicings: [Slicing] = []
  /// Their slices over the test data (read when the suite loads).
  package var slices: [Slice] = []
  /// The largest tolerated drop overall.
  package var maxDrop = 0.01
  /// The largest tolerated drop in a slice.
  package var maxSliceDrop = 0.02
  /// Whether the drops are shares of the baseline's figure rather than absolute (the default
  /// for a regression task, whose errors are in the label's units).
  package var relative = false
  /// Family-wise level across slices and metrics (Holm).
  package var alpha = 0.05
  /// A slice with fewer rows is inconclusive.
  package var minSliceRows = 100
  /// A slice with fewer rows of either class is inconclusive.
  package var minClassRows = 10
  /// The largest tolerated negative flip rate (the one-sided 95 % Wilson upper bound), if gated.
  package var maxNegativeFlipRate: Double?
  /// A comparison that cannot detect a drop this small with 80 % power is inconclusive.
  package var minDetectableDrop: Double?
  /// Where the section is written.
  package var position: SourcePosition

  /// The columns the slicings read.
  var columns: [String] {
    var names: [String] = []
    for slicing in slicings {
      for part in slicing.parts where !names.contains(part.column) { names.append(part.column) }
    }
    return names
  }
}

/// How rows are cut into slices: by one column, or by the cross of two.
package struct Slicing: Sendable, Equatable {
  /// One column's cut.
  package enum Cut: Sendable, Equatable {
    /// Each value of a categorical column.
    case values
    /// Numeric bins by edges: [e₀, e₁), [e₁, e₂), …, [e_{k−1}, e_k] (the last closed).
    case edges([Double])
    /// Numeric bins by the data's quantiles (q bins).
    case quantiles(Int)
  }

  /// One column and its cut.
  package struct Part: Sendable, Equatable {
    package var column: String
    package var cut: Cut
  }

  /// One part, or two for a cross.
  package var parts: [Part]
}
