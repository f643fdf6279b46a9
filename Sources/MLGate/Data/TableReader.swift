/// Reads rows of typed values from a CSV or JSON Lines file, one at a time.
///
/// The format follows the file's extension: `.jsonl`, `.ndjson` and `.json` are JSON Lines,
/// everything else CSV with a header row.
package final class TableReader {
  /// The column names in file order.
  package let columns: [String]
  /// The file as the suite names it, for messages.
  package let displayName: String
  private var csv: CSVReader?
  private var jsonLines: JSONLinesReader?
  private var pending: (members: [(key: String, value: JSONValue)], line: Int)?
  private let markers: DataValue.MissingMarkers
  private let index: [String: Int]

  /// Opens a data file and reads its header (CSV) or first record (JSON Lines).
  ///
  /// A line (a record, quoted newlines included) longer than `maxLineBytes` is an error naming
  /// the limit and the line: a file with no line ends never fills memory.
  package init(
    path: String, displayName: String, missingValues: Set<String>,
    maxLineBytes: Int = DataConfig.defaultMaxLineBytes
  ) throws(DataError) {
    self.displayName = displayName
    markers = DataValue.MissingMarkers(missingValues)
    let lower = path.lowercased()
    if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
      let reader = try JSONLinesReader(
        path: path, displayName: displayName, maxLineBytes: maxLineBytes)
      guard let first = try reader.nextObject() else {
        var error = DataError(file: displayName, message: "the file holds no records")
        error.isEmptyFile = true
        throw error
      }
      jsonLines = reader
      pending = first
      columns = first.members.map(\.key)
    } else {
      let reader = try CSVReader(
        path: path, displayName: displayName, maxLineBytes: maxLineBytes)
      guard let header = try reader.nextRecord() else {
        var error = DataError(
          file: displayName, message: "the file is empty: expected a header row")
        error.isEmptyFile = true
        throw error
      }
      var seen = Set<String>()
      for (position, name) in header.fields.enumerated() {
        let trimmed = name.trimmingCharacters(in: " ")
        if trimmed.isEmpty {
          throw DataError(
            file: displayName, line: header.line, message: "header field \(position + 1) is empty")
        }
        if !seen.insert(trimmed).inserted {
          throw DataError(
            file: displayName, line: header.line, field: trimmed,
            message: "the column name appears twice in the header")
        }
      }
      csv = reader
      columns = header.fields.map { $0.trimmingCharacters(in: " ") }
    }
    var positions: [String: Int] = [:]
    for (position, name) in columns.enumerated() { positions[name] = position }
    index = positions
  }

  /// The next row's values (aligned with ``columns``) and its line, or nil at the end.
  package func next() throws(DataError) -> (values: [DataValue], line: Int)? {
    if let csv {
      guard let record = try csv.nextRecord() else { return nil }
      guard record.fields.count == columns.count else {
        throw DataError(
          file: displayName, line: record.line,
          message: "ragged row: \(record.fields.count) fields, the header has \(columns.count)")
      }
      return (
        record.fields.map { DataValue.fromCSV(Substring($0), missing: markers) }, record.line
      )
    }
    let record: (members: [(key: String, value: JSONValue)], line: Int)
    if let first = pending {
      record = first
      pending = nil
    } else if let reader = jsonLines, let next = try reader.nextObject() {
      record = next
    } else {
      return nil
    }
    var values = [DataValue](repeating: .missing, count: columns.count)
    for member in record.members {
      guard let position = index[member.key] else {
        throw DataError(
          file: displayName, line: record.line, field: member.key,
          message: "not a column of the first record (\(columns.joined(separator: ", ")))")
      }
      switch member.value {
      case .null: values[position] = .missing
      case .number(let number):
        guard number.isFinite else {
          throw DataError(
            file: displayName, line: record.line, field: member.key,
            message: "NaN or Infinity is not a valid value; use null")
        }
        values[position] = .number(number)
      case .string(let text): values[position] = markers.contains(text) ? .missing : .string(text)
      case .bool(let flag): values[position] = .number(flag ? 1 : 0)
      case .array, .object:
        throw DataError(
          file: displayName, line: record.line, field: member.key,
          message: "expected a number, a string or null, found \(member.value.kindName)")
      }
    }
    return (values, record.line)
  }
}

extension String {
  func trimmingCharacters(in character: Character) -> String {
    var text = Substring(self)
    while text.first == character { text = text.dropFirst() }
    while text.last == character { text = text.dropLast() }
    return String(text)
  }
}
