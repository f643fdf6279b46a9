import Foundation

/// Reads a series from a training history file in any of the ``HistoryFormat``s.
///
/// Every read is bounded: JSON files by ``maxBytes``, CSV and JSON Lines by their line limit and
/// ``maxPoints``. Errors name the file, the line and the series.
package struct HistoryReader: Sendable {
  /// The path to read.
  package var path: String
  /// The path as the suite wrote it, for messages.
  package var displayName: String
  /// The format, when the suite says; else guessed from the path and content.
  package var format: HistoryFormat?

  /// The largest JSON history read whole.
  static let maxBytes = 64 << 20
  /// The most points a series may have.
  static let maxPoints = 10_000_000

  /// Creates a reader.
  package init(path: String, displayName: String, format: HistoryFormat? = nil) {
    self.path = path
    self.displayName = displayName
    self.format = format
  }

  /// The series called `name`, with x on `axis` when the suite chooses (else the file's).
  package func read(_ name: String, axis: LossSeries.Axis? = nil) throws(DataError) -> LossSeries {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw DataError(file: displayName, message: "no such file or folder")
    }
    let format = self.format ?? HistoryFormat.guess(path: path, isDirectory: isDirectory.boolValue)
    switch format {
    case .csv: return try CSVHistory(reader: self).read(name, axis: axis)
    case .jsonl: return try readJSONLines(name, axis: axis)
    case .mlflow: return try readMLflow(name, isDirectory: isDirectory.boolValue)
    case .kerasHistory, .evalsResult, nil:
      return try readJSONDocument(name, format: format)
    }
  }

  func failure(_ message: String, line: Int? = nil, field: String? = nil) -> DataError {
    DataError(file: displayName, line: line, field: field, message: message)
  }

  /// A cell or JSON value as a point's value: numbers, and `nan`/`inf` spelled as text.
  static func value(of text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    switch trimmed.lowercased() {
    case "nan", "-nan": return .nan
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    default: return Double(trimmed)
    }
  }

  private func readJSONLines(_ name: String, axis: LossSeries.Axis?) throws(DataError)
    -> LossSeries
  {
    let reader = try JSONLinesReader(
      path: path, displayName: displayName, maxLineBytes: DataConfig.defaultMaxLineBytes)
    var builder = SeriesBuilder(name: name, reader: self)
    var seenKeys: [String] = []
    while let record = try reader.nextObject() {
      var fields: [String: JSONValue] = [:]
      for member in record.members {
        fields[member.key] = member.value
        if seenKeys.count < 64, !seenKeys.contains(member.key) { seenKeys.append(member.key) }
      }
      guard let cell = fields[name], cell != .null else { continue }
      let value: Double?
      switch cell {
      case .number(let number): value = number
      case .string(let text): value = HistoryReader.value(of: text)
      default: value = nil
      }
      guard let value else {
        throw failure("expected a number, found \(cell.kindName)", line: record.line, field: name)
      }
      let chosen = builder.axis(axis, epoch: fields["epoch"] != nil, step: fields["step"] != nil)
      let x = fields[chosen.rawValue]?.numberValue
      try builder.append(x: x, value: value, line: record.line)
    }
    return try builder.finish(known: seenKeys)
  }

  private func readJSONDocument(_ name: String, format: HistoryFormat?) throws(DataError)
    -> LossSeries
  {
    let document: JSONValue
    do {
      document = try JSONParser.parse(try BoundedFile.read(path, limit: HistoryReader.maxBytes))
    } catch let error as BoundedFile.Failure {
      throw failure(error.reason)
    } catch {
      throw failure("not valid JSON: \(error)")
    }
    guard case .object(let members) = document else {
      throw failure("expected a JSON object of series, found \(document.kindName)")
    }
    let nested = members.contains { if case .object = $0.value { true } else { false } }
    let kind = format ?? (nested ? .evalsResult : .kerasHistory)
    var series: [(name: String, values: JSONValue)] = []
    if kind == .evalsResult {
      for member in members {
        guard case .object(let metrics) = member.value else { continue }
        for metric in metrics { series.append(("\(member.key).\(metric.key)", metric.value)) }
      }
    } else {
      series = members.map { ($0.key, $0.value) }
    }
    guard let found = series.first(where: { $0.name == name }) else {
      throw failure(
        "no series '\(name)' (the file has: \(series.map(\.name).prefix(20).joined(separator: ", ")))"
      )
    }
    guard case .array(let items) = found.values else {
      throw failure("series '\(name)' is not a list of numbers")
    }
    guard items.count <= HistoryReader.maxPoints else {
      throw failure("series '\(name)' has more than \(HistoryReader.maxPoints) points")
    }
    var values: [Double] = []
    for (index, item) in items.enumerated() {
      var number: Double?
      switch item {
      case .number(let value): number = value
      case .string(let text): number = HistoryReader.value(of: text)
      default: number = nil
      }
      guard let number else {
        throw failure(
          "series '\(name)': item \(index + 1) is \(item.kindName), not a number", field: name)
      }
      values.append(number)
    }
    return LossSeries(
      name: name, axis: kind == .evalsResult ? .round : .epoch,
      x: values.indices.map(Double.init), values: values)
  }

  private func readMLflow(_ name: String, isDirectory: Bool) throws(DataError) -> LossSeries {
    var file = path
    if isDirectory {
      let metrics = (path as NSString).appendingPathComponent("metrics")
      let folder = FileManager.default.fileExists(atPath: metrics) ? metrics : path
      file = (folder as NSString).appendingPathComponent(name)
    }
    let bytes: [UInt8]
    do {
      bytes = try BoundedFile.read(file, limit: HistoryReader.maxBytes)
    } catch {
      let shown = isDirectory ? "\(displayName)/…/\(name)" : displayName
      throw DataError(file: shown, message: "cannot read the MLflow metric: \(error.reason)")
    }
    let shown = isDirectory ? "\(displayName)/metrics/\(name)" : displayName
    var builder = SeriesBuilder(
      name: name, reader: HistoryReader(path: file, displayName: shown, format: .mlflow))
    builder.fixedAxis = .step
    var lineNumber = 0
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      lineNumber += 1
      let text = String(decoding: line, as: UTF8.self)
      let fields = text.split(separator: " ", omittingEmptySubsequences: true)
      if fields.isEmpty { continue }
      guard fields.count == 2 || fields.count == 3,
        let value = HistoryReader.value(of: String(fields[1]))
      else {
        throw DataError(
          file: shown, line: lineNumber,
          message: "expected 'timestamp value step', found '\(TextFormat.trimmed(text, limit: 80))'"
        )
      }
      let step = fields.count == 3 ? Double(fields[2]) : 0
      try builder.append(x: step, value: value, line: lineNumber)
    }
    return try builder.finish(known: [name])
  }
}

/// Collects a series' points, checking that x increases.
struct SeriesBuilder {
  let name: String
  let reader: HistoryReader
  var fixedAxis: LossSeries.Axis?
  var x: [Double] = []
  var values: [Double] = []

  init(name: String, reader: HistoryReader) {
    self.name = name
    self.reader = reader
  }

  /// The axis a row's x is on: the suite's choice, else `*_step` series on steps, else epochs
  /// when the file has them, else steps.
  mutating func axis(_ chosen: LossSeries.Axis?, epoch: Bool, step: Bool) -> LossSeries.Axis {
    if let fixedAxis { return fixedAxis }
    let axis: LossSeries.Axis
    if let chosen {
      axis = chosen
    } else if step, name.hasSuffix("_step") || !epoch {
      axis = .step
    } else {
      axis = .epoch
    }
    fixedAxis = axis
    return axis
  }

  /// Adds a point; without an x, the point's index.
  mutating func append(x found: Double?, value: Double, line: Int) throws(DataError) {
    guard values.count < HistoryReader.maxPoints else {
      throw reader.failure("series '\(name)' has more than \(HistoryReader.maxPoints) points")
    }
    let x = found ?? Double(values.count)
    guard x.isFinite else {
      throw reader.failure("the \(fixedAxis?.rawValue ?? "x") is not a number", line: line)
    }
    if let last = self.x.last, x <= last {
      throw reader.failure(
        "series '\(name)': \(fixedAxis?.rawValue ?? "x") \(LossSeries.label(x)) does not follow \(LossSeries.label(last)) (a history must be in order, one point per \(fixedAxis?.rawValue ?? "x"))",
        line: line)
    }
    self.x.append(x)
    values.append(value)
  }

  func finish(known: [String]) throws(DataError) -> LossSeries {
    guard !values.isEmpty else {
      var message = "no values for series '\(name)'"
      if !known.contains(name) {
        message += " (the file has: \(known.prefix(20).joined(separator: ", ")))"
        if let close = TextFormat.suggestion(for: name, in: known) {
          message += " — did you mean '\(close)'?"
        }
      }
      throw reader.failure(message)
    }
    return LossSeries(name: name, axis: fixedAxis ?? .epoch, x: x, values: values)
  }
}

/// A Keras or Lightning CSV history.
private struct CSVHistory {
  let reader: HistoryReader

  func read(_ name: String, axis: LossSeries.Axis?) throws(DataError) -> LossSeries {
    let table = try TableReader(
      path: reader.path, displayName: reader.displayName, missingValues: [""])
    guard let column = table.columns.firstIndex(of: name) else {
      var message = "no column '\(name)' (the header has: \(table.columns.joined(separator: ", ")))"
      if let close = TextFormat.suggestion(for: name, in: table.columns) {
        message += " — did you mean '\(close)'?"
      }
      throw reader.failure(message)
    }
    var builder = SeriesBuilder(name: name, reader: reader)
    let chosen = builder.axis(
      axis, epoch: table.columns.contains("epoch"), step: table.columns.contains("step"))
    let xColumn = table.columns.firstIndex(of: chosen.rawValue)
    while let row = try table.next() {
      let value: Double
      switch row.values[column] {
      case .missing: continue
      case .number(let number): value = number
      case .string(let text):
        guard let number = HistoryReader.value(of: text) else {
          throw reader.failure("expected a number, found '\(text)'", line: row.line, field: name)
        }
        value = number
      }
      var x: Double?
      if let xColumn {
        switch row.values[xColumn] {
        case .number(let number): x = number
        case .missing, .string:
          throw reader.failure(
            "the \(chosen.rawValue) is missing or not a number", line: row.line,
            field: chosen.rawValue)
        }
      }
      try builder.append(x: x, value: value, line: row.line)
    }
    return try builder.finish(known: table.columns)
  }
}
