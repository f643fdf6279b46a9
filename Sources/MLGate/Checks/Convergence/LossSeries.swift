/// One series of a training history (`loss`, `val_loss`, `training.binary_logloss`): its points
/// in file order, each at an epoch, a step or a boosting round.
package struct LossSeries: Sendable, Equatable {
  /// What a point's x counts.
  package enum Axis: String, Sendable, CaseIterable {
    /// Passes over the data (Keras, Lightning's epoch-level series).
    case epoch
    /// Optimiser steps (batches; Lightning's `*_step` series, MLflow's steps).
    case step
    /// Boosting rounds (XGBoost, LightGBM).
    case round

    /// Fewer points than this are too few to judge (the notes' 5 epochs or 20 steps).
    package var minimumPoints: Int { self == .step ? 20 : 5 }
  }

  /// The series' name as the file writes it.
  package var name: String
  /// What x counts.
  package var axis: Axis
  /// The x of each point (epoch, step or round), increasing.
  package var x: [Double]
  /// The values; NaN and infinities are kept (the first check looks for them).
  package var values: [Double]

  /// Creates a series.
  package init(name: String, axis: Axis, x: [Double], values: [Double]) {
    self.name = name
    self.axis = axis
    self.x = x
    self.values = values
  }

  /// The number of points.
  package var count: Int { values.count }

  /// "epoch 17", "step 4,000".
  package func at(_ index: Int) -> String { "\(axis.rawValue) \(LossSeries.label(x[index]))" }

  /// "epochs 0–3".
  package func span(_ range: Range<Int>) -> String {
    guard range.count > 1 else { return at(range.lowerBound) }
    return
      "\(axis.rawValue)s \(LossSeries.label(x[range.lowerBound]))–\(LossSeries.label(x[range.upperBound - 1]))"
  }

  /// The points from `start` on (a warm-up dropped).
  package func dropping(before start: Double) -> LossSeries {
    let first = x.firstIndex { $0 >= start } ?? x.count
    return LossSeries(
      name: name, axis: axis, x: Array(x[first...]), values: Array(values[first...]))
  }

  /// An x as written: whole numbers without a decimal point.
  package static func label(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return TextFormat.figure(x)
  }
}

/// The formats of a training history.
package enum HistoryFormat: String, Sendable, CaseIterable {
  /// Keras `CSVLogger` or PyTorch Lightning `CSVLogger` (`metrics.csv`): a header row, an
  /// `epoch` and/or `step` column, empty cells in sparse rows, `nan` for non-finite values.
  case csv
  /// One JSON object per line, with `epoch` or `step` and the metrics.
  case jsonl
  /// Keras `History.history` saved as JSON: `{"loss": […], "val_loss": […]}`.
  case kerasHistory = "keras_history"
  /// XGBoost or LightGBM `evals_result`: `{"training": {"binary_logloss": […]}, …}`, series
  /// named `dataset.metric`.
  case evalsResult = "evals_result"
  /// MLflow's file store: a run folder (`mlruns/0/RUN`), its `metrics` folder or one metric
  /// file, lines `timestamp value step`.
  case mlflow

  /// The format a path most likely holds.
  static func guess(path: String, isDirectory: Bool) -> HistoryFormat? {
    if isDirectory { return .mlflow }
    let lower = path.lowercased()
    if lower.hasSuffix(".csv") { return .csv }
    if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
    if lower.hasSuffix(".json") { return nil }  // Keras history or evals_result: by content
    if path.split(separator: "/").dropLast().last == "metrics" { return .mlflow }
    return nil
  }
}
