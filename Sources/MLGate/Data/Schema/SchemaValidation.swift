/// The kinds of anomaly a data file can show against its schema: one JUnit case each.
package enum AnomalyKind: String, Sendable, CaseIterable {
  /// The file has no rows.
  case emptyFile = "empty_file"
  /// A required column is absent.
  case missingColumn = "missing_column"
  /// A column the schema does not know.
  case unexpectedColumn = "unexpected_column"
  /// A value of another type (text in a number column, a fraction in an integer column).
  case typeMismatch = "type_mismatch"
  /// A number outside the column's range.
  case outOfRange = "out_of_range"
  /// A category outside the column's domain.
  case unknownCategory = "unknown_category"
  /// More missing values than the column allows.
  case tooManyMissing = "too_many_missing"

  /// What must hold, as a test name ("… has rows").
  package var expectation: String {
    switch self {
    case .emptyFile: return "has rows"
    case .missingColumn: return "has every required column"
    case .unexpectedColumn: return "has no column outside the schema"
    case .typeMismatch: return "has values of the declared types"
    case .outOfRange: return "has numbers within the declared ranges"
    case .unknownCategory: return "has categories within the declared domains"
    case .tooManyMissing: return "has no more missing values than allowed"
    }
  }

  /// Whether `max_bad_rows` tolerates a share of rows of this kind.
  package var isPerRow: Bool {
    self == .typeMismatch || self == .outOfRange || self == .unknownCategory
  }
}

/// One column's anomaly of one kind: how many rows, which values, where.
package struct ColumnAnomaly: Sendable, Equatable {
  /// The column.
  package var column: String
  /// The kind.
  package var kind: AnomalyKind
  /// Rows concerned (all rows for a missing column; rows with a missing value for
  /// `too_many_missing`).
  package var rows: Int
  /// The most frequent offending values with their counts, most frequent first (at most 5).
  package var topValues: [(value: String, count: Int)]
  /// The first lines with an offending value (at most 5).
  package var firstLines: [Int]
  /// What the schema allows, as in "[4, 72]" or "at most 2% missing".
  package var allowed: String

  package static func == (lhs: ColumnAnomaly, rhs: ColumnAnomaly) -> Bool {
    lhs.column == rhs.column && lhs.kind == rhs.kind && lhs.rows == rhs.rows
      && lhs.firstLines == rhs.firstLines && lhs.allowed == rhs.allowed
      && lhs.topValues.map(\.value) == rhs.topValues.map(\.value)
      && lhs.topValues.map(\.count) == rhs.topValues.map(\.count)
  }
}

/// What validating one data file against a schema found.
package struct SchemaFindings: Sendable {
  /// The file, as the suite names it.
  package var file: String
  /// Rows read.
  package var rows: Int
  /// Every anomaly, in schema column order (unexpected columns in file order).
  package var anomalies: [ColumnAnomaly]

  /// The anomalies of `kind`.
  package func anomalies(_ kind: AnomalyKind) -> [ColumnAnomaly] {
    anomalies.filter { $0.kind == kind }
  }
}

/// Validates a data file against a ``DataSchema`` in one streaming pass.
///
/// Memory is bounded by the columns: each (column, kind) keeps a count, the first lines and at
/// most 256 distinct offending values.
package struct SchemaValidation {
  /// The schema.
  package var schema: DataSchema

  /// Creates a validation.
  package init(schema: DataSchema) { self.schema = schema }

  /// Reads `table` to its end and returns what breaks the schema.
  package func validate(_ table: TableReader) throws(DataError) -> SchemaFindings {
    let positions = Dictionary(
      table.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let present = schema.columns.compactMap { column in
      positions[column.name].map { (column: column, index: $0) }
    }
    let domains = present.map { $0.column.values.map(Set.init) }
    var tallies = present.map { _ in ColumnTally() }
    var rows = 0
    while let row = try table.next() {
      rows += 1
      for (slot, entry) in present.enumerated() {
        let value = row.values[entry.index]
        let column = entry.column
        if case .missing = value {
          tallies[slot].missing += 1
          continue
        }
        if !column.type.admits(value) {
          tallies[slot].note(.typeMismatch, value, line: row.line)
        } else if case .number(let number) = value, column.isNumeric,
          number < (column.min ?? -.infinity) || number > (column.max ?? .infinity)
        {
          tallies[slot].note(.outOfRange, value, line: row.line)
        } else if let domain = domains[slot], let text = value.labelText, !domain.contains(text) {
          tallies[slot].note(.unknownCategory, value, line: row.line)
        }
      }
    }
    var anomalies: [ColumnAnomaly] = []
    if rows == 0 {
      anomalies.append(
        ColumnAnomaly(
          column: "", kind: .emptyFile, rows: 0, topValues: [], firstLines: [],
          allowed: "at least one row"))
    }
    var slot = 0
    for column in schema.columns {
      guard slot < present.count, present[slot].column.name == column.name else {
        if column.required {
          anomalies.append(
            ColumnAnomaly(
              column: column.name, kind: .missingColumn, rows: rows, topValues: [],
              firstLines: [1], allowed: "a required \(column.type.rawValue) column"))
        }
        continue
      }
      let tally = tallies[slot]
      slot += 1
      for kind in [AnomalyKind.typeMismatch, .outOfRange, .unknownCategory] {
        guard let found = tally.kinds[kind] else { continue }
        anomalies.append(
          ColumnAnomaly(
            column: column.name, kind: kind, rows: found.rows, topValues: found.top(5),
            firstLines: found.lines, allowed: SchemaValidation.allowed(column, kind)))
      }
      if rows > 0, Double(tally.missing) / Double(rows) > column.maxMissing {
        anomalies.append(
          ColumnAnomaly(
            column: column.name, kind: .tooManyMissing, rows: tally.missing, topValues: [],
            firstLines: [], allowed: SchemaValidation.allowed(column, .tooManyMissing)))
      }
    }
    let known = Set(schema.columns.map(\.name))
    for name in table.columns where !known.contains(name) {
      anomalies.append(
        ColumnAnomaly(
          column: name, kind: .unexpectedColumn, rows: rows, topValues: [], firstLines: [1],
          allowed: "the schema's \(schema.columns.count) columns"))
    }
    return SchemaFindings(file: table.displayName, rows: rows, anomalies: anomalies)
  }

  /// The findings for a file with nothing in it: no header, no record.
  package static func emptyFile(_ file: String) -> SchemaFindings {
    SchemaFindings(
      file: file, rows: 0,
      anomalies: [
        ColumnAnomaly(
          column: "", kind: .emptyFile, rows: 0, topValues: [], firstLines: [],
          allowed: "at least one row")
      ])
  }

  /// What the schema allows of `column`, for messages.
  static func allowed(_ column: ColumnSchema, _ kind: AnomalyKind) -> String {
    switch kind {
    case .outOfRange:
      let low = column.min.map(SchemaFile.number) ?? "-∞"
      let high = column.max.map(SchemaFile.number) ?? "∞"
      return "[\(low), \(high)]"
    case .unknownCategory:
      let values = column.values ?? []
      let shown = values.prefix(8).joined(separator: ", ")
      return "{\(shown)\(values.count > 8 ? ", … \(values.count) values" : "")}"
    case .typeMismatch:
      return column.type == .boolean ? "boolean (true/false)" : column.type.rawValue
    case .tooManyMissing:
      return "at most \(TextFormat.percent(column.maxMissing)) missing"
    case .emptyFile, .missingColumn, .unexpectedColumn:
      return ""
    }
  }
}

/// Offending values of one column, by kind.
struct ColumnTally {
  struct Kind {
    var rows = 0
    var lines: [Int] = []
    var counts: [String: Int] = [:]
    var others = 0

    func top(_ count: Int) -> [(value: String, count: Int)] {
      counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        .prefix(count).map { (value: $0.key, count: $0.value) }
    }
  }

  var missing = 0
  var kinds: [AnomalyKind: Kind] = [:]

  mutating func note(_ kind: AnomalyKind, _ value: DataValue, line: Int) {
    var entry = kinds[kind] ?? Kind()
    entry.rows += 1
    if entry.lines.count < 5 { entry.lines.append(line) }
    let text = TextFormat.trimmed(value.labelText ?? "", limit: 60)
    if entry.counts[text] != nil || entry.counts.count < 256 {
      entry.counts[text, default: 0] += 1
    } else {
      entry.others += 1
    }
    kinds[kind] = entry
  }
}
