import Foundation

/// A scored data file: its evaluation, the kept columns, and how scoring went.
package struct ScoredData: Sendable {
  /// Labels and predictions, ready for the metrics.
  package var evaluation: Evaluation
  /// The values of each kept column, in row order, by column name.
  package var kept: [String: [DataValue]]
  /// Rows scored.
  package var rows: Int
  /// Requests sent.
  package var batches: Int
  /// Wall time of the scoring.
  package var duration: Duration
  /// The file scored.
  package var file: DataConfig.File
}

/// How a labelled file is read and what its predictions mean: everything scoring a file needs
/// of a suite, and nothing more.
package struct LabelledFileScoring: Sendable {
  /// What the model predicts.
  package var task: TaskKind
  /// The label column.
  package var label: String
  /// The positive class of a binary task, if the suite names it.
  package var positive: String?
  /// Class names in probability order, when the model does not give them.
  package var classes: [String]?
  /// Cell texts read as missing.
  package var missingValues: Set<String>
  /// Columns never sent to the model.
  package var drop: [String]
  /// Columns kept beside the predictions.
  package var keep: [String]
  /// Rows per request.
  package var batchSize: Int
  /// The longest line the file may have.
  package var maxLineBytes: Int = DataConfig.defaultMaxLineBytes

  /// Streams `file` through `model` into an ``Evaluation``: memory holds the batches in flight
  /// plus a few numbers (and the kept values) per scored row.
  package func score(
    _ file: DataConfig.File, model: any Model, progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(ScoringError) -> ScoredData {
    let clock = ContinuousClock()
    let started = clock.now
    let reader: LabelledBatchReader
    do {
      let table = try TableReader(
        path: file.path, displayName: file.displayName, missingValues: missingValues,
        maxLineBytes: maxLineBytes)
      reader = try LabelledBatchReader(table: table, label: label, drop: drop, keep: keep)
    } catch {
      throw .data(error)
    }
    let featureNames = reader.featureNames
    let (collector, batches, rows) = try await OrderedScoring.run(
      reader,
      into: ScoreCollector(
        task: task, keptColumns: keep.count, positive: positive, declaredClasses: classes),
      featureNames: featureNames,
      model: model, batchSize: batchSize, progress: progress)
    guard rows > 0 else {
      throw .data(DataError(file: file.displayName, message: "the file holds a header but no rows"))
    }
    let evaluation = try collector.finish()
    var kept: [String: [DataValue]] = [:]
    for (position, name) in keep.enumerated() { kept[name] = collector.kept[position] }
    return ScoredData(
      evaluation: evaluation, kept: kept, rows: rows, batches: batches,
      duration: clock.now - started, file: file)
  }
}
