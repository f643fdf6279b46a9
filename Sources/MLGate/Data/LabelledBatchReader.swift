/// A batch of rows ready for a model: features without the label, the labels apart, and the
/// columns a check asked to keep.
package struct LabelledBatch: ScorableBatch {
  /// One array of feature values per row, aligned with the reader's feature names.
  package var features: [[DataValue]]
  /// The label of each row (missing when the data has no label column).
  package var labels: [DataValue]
  /// The values of the kept columns of each row, aligned with the reader's kept names.
  package var kept: [[DataValue]]
  /// The file line of each row, for messages.
  package var lines: [Int]
  /// The file, as the suite names it.
  package var file: String

  /// The number of rows.
  package var count: Int { features.count }

  package var origin: String { "on lines \(lines.first ?? 0)–\(lines.last ?? 0) of \(file)" }
}

extension LabelledBatchReader: BatchSource {
  package func next(size: Int) throws(DataError) -> LabelledBatch? { try nextBatch(size: size) }
}

/// Splits a table into batches of feature rows and labels.
package final class LabelledBatchReader {
  /// The names of the features sent to the model, in order.
  package let featureNames: [String]
  /// The names of the columns kept beside each row (sent to the model or not).
  package let keptNames: [String]
  private let table: TableReader
  private let labelIndex: Int?
  private let labelName: String?
  private let featureIndices: [Int]
  private let keptIndices: [Int]

  /// Opens a reader over `table`, taking `label` apart.
  ///
  /// - Parameters:
  ///   - table: The rows.
  ///   - label: The label column; it must exist. Nil for unlabelled data.
  ///   - drop: Columns neither sent to the model nor used as label (identifiers, timestamps).
  ///   - keep: Columns whose values each batch carries beside the features (group or slice
  ///     columns), whether sent to the model or not.
  /// - Throws: ``DataError`` naming a missing column and the closest existing one.
  package init(table: TableReader, label: String?, drop: [String] = [], keep: [String] = [])
    throws(DataError)
  {
    self.table = table
    func locate(_ name: String, role: String) throws(DataError) -> Int {
      if let position = table.columns.firstIndex(of: name) { return position }
      var message = "\(role) column '\(name)' is not in the file"
      if let close = TextFormat.suggestion(for: name, in: table.columns) {
        message += " — did you mean '\(close)'?"
      } else {
        message +=
          " (columns: \(table.columns.prefix(12).joined(separator: ", "))\(table.columns.count > 12 ? ", …" : ""))"
      }
      throw DataError(file: table.displayName, line: 1, message: message)
    }
    var excluded = Set<Int>()
    if let label {
      let position = try locate(label, role: "label")
      labelIndex = position
      excluded.insert(position)
    } else {
      labelIndex = nil
    }
    for name in drop { excluded.insert(try locate(name, role: "dropped")) }
    var kept: [Int] = []
    for name in keep { kept.append(try locate(name, role: "kept")) }
    keptIndices = kept
    keptNames = keep
    labelName = label
    featureIndices = table.columns.indices.filter { !excluded.contains($0) }
    featureNames = featureIndices.map { table.columns[$0] }
  }

  /// The next batch of at most `size` rows, or nil at the end of the data.
  package func nextBatch(size: Int) throws(DataError) -> LabelledBatch? {
    var batch = LabelledBatch(
      features: [], labels: [], kept: [], lines: [], file: table.displayName)
    batch.features.reserveCapacity(size)
    while batch.count < size, let row = try table.next() {
      var label = DataValue.missing
      if let labelIndex {
        label = row.values[labelIndex]
        if case .missing = label {
          throw DataError(
            file: table.displayName, line: row.line, field: labelName,
            message: "the label is missing")
        }
      }
      batch.features.append(featureIndices.map { row.values[$0] })
      batch.labels.append(label)
      if !keptIndices.isEmpty { batch.kept.append(keptIndices.map { row.values[$0] }) }
      batch.lines.append(row.line)
    }
    return batch.count == 0 ? nil : batch
  }
}
