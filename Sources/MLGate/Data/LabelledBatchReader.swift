/// A batch of rows ready for a model: features without the label, the labels apart.
public struct LabelledBatch: Sendable {
  /// One array of feature values per row, aligned with the reader's feature names.
  public var features: [[DataValue]]
  /// The label of each row (missing when the data has no label column).
  public var labels: [DataValue]
  /// The file line of each row, for messages.
  public var lines: [Int]

  /// The number of rows.
  public var count: Int { features.count }
}

/// Splits a table into batches of feature rows and labels.
public final class LabelledBatchReader {
  /// The names of the features sent to the model, in order.
  public let featureNames: [String]
  private let table: TableReader
  private let labelIndex: Int?
  private let labelName: String?
  private let featureIndices: [Int]

  /// Opens a reader over `table`, taking `label` apart.
  ///
  /// - Parameters:
  ///   - table: The rows.
  ///   - label: The label column; it must exist. Nil for unlabelled data.
  ///   - drop: Columns neither sent to the model nor used as label (identifiers, timestamps).
  /// - Throws: ``DataError`` naming a missing column and the closest existing one.
  public init(table: TableReader, label: String?, drop: [String] = []) throws(DataError) {
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
    labelName = label
    featureIndices = table.columns.indices.filter { !excluded.contains($0) }
    featureNames = featureIndices.map { table.columns[$0] }
  }

  /// The next batch of at most `size` rows, or nil at the end of the data.
  public func nextBatch(size: Int) throws(DataError) -> LabelledBatch? {
    var batch = LabelledBatch(features: [], labels: [], lines: [])
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
      batch.lines.append(row.line)
    }
    return batch.count == 0 ? nil : batch
  }
}
