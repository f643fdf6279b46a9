/// Infers a ``DataSchema`` from a data file in one streaming pass.
///
/// Memory is bounded by the columns and the domain cap, not the rows: each column keeps counts,
/// a range and at most `maxDomain + 1` distinct texts.
package struct SchemaInference {
  /// What the pass found, beside the schema.
  package struct Result: Sendable {
    /// The inferred schema.
    package var schema: DataSchema
    /// The rows read.
    package var rows: Int
  }

  /// The most distinct texts a column may have and still be categorical.
  package var maxDomain: Int
  /// The label column, if any (it stays a column of the schema, marked as the label).
  package var label: String?

  /// Creates an inference pass.
  package init(maxDomain: Int = 50, label: String? = nil) {
    self.maxDomain = maxDomain
    self.label = label
  }

  /// Reads `table` to its end and returns the schema its rows satisfy.
  package func infer(_ table: TableReader) throws(DataError) -> Result {
    if let label, !table.columns.contains(label) {
      var message = "label column '\(label)' is not in the file"
      if let close = TextFormat.suggestion(for: label, in: table.columns) {
        message += " — did you mean '\(close)'?"
      }
      throw DataError(file: table.displayName, line: 1, message: message)
    }
    var profiles = table.columns.map { _ in ColumnProfile(maxDomain: maxDomain) }
    var rows = 0
    while let row = try table.next() {
      rows += 1
      for index in row.values.indices { profiles[index].add(row.values[index]) }
    }
    guard rows > 0 else {
      throw DataError(file: table.displayName, message: "the file has no rows to infer from")
    }
    let columns = zip(table.columns, profiles).map { name, profile in
      profile.column(named: name, rows: rows)
    }
    return Result(schema: DataSchema(label: label, columns: columns), rows: rows)
  }
}

/// What one pass has seen of one column.
struct ColumnProfile {
  let maxDomain: Int
  var missing = 0
  var numbers = 0
  var texts = 0
  var allWhole = true
  var low = Double.infinity
  var high = -Double.infinity
  var allBooleanWords = true
  /// Distinct texts and numbers (kept apart: hashing a number is cheaper than making its
  /// text), until together there are more than `maxDomain`.
  var textDomain: Set<String> = []
  var numberDomain: Set<Double> = []
  var domainOverflowed = false

  init(maxDomain: Int) { self.maxDomain = maxDomain }

  mutating func add(_ value: DataValue) {
    switch value {
    case .missing:
      missing += 1
      return
    case .number(let number):
      numbers += 1
      if number != number.rounded() { allWhole = false }
      if number < low { low = number }
      if number > high { high = number }
      allBooleanWords = false
      guard !domainOverflowed else { return }
      numberDomain.insert(number)
    case .string(let text):
      texts += 1
      if allBooleanWords, !ColumnType.booleanWords.contains(text.lowercased()) {
        allBooleanWords = false
      }
      guard !domainOverflowed else { return }
      textDomain.insert(text)
    }
    if textDomain.count + numberDomain.count > maxDomain {
      domainOverflowed = true
      textDomain = []
      numberDomain = []
    }
  }

  /// The distinct values as label texts.
  var domain: Set<String> { textDomain.union(numberDomain.map(DataValue.labelText)) }

  /// The column that admits every value seen.
  func column(named name: String, rows: Int) -> ColumnSchema {
    // The share seen, rounded up at the fourth decimal so the file it came from validates.
    let share = Double(missing) / Double(rows)
    let maxMissing = missing == 0 ? 0 : min(1, (share * 10_000).rounded(.up) / 10_000)
    var column = ColumnSchema(name: name, type: .string, maxMissing: maxMissing)
    if numbers > 0, texts == 0 {
      column.type = allWhole ? .integer : .number
      column.min = low
      column.max = high
    } else if texts > 0, numbers == 0, allBooleanWords {
      column.type = .boolean
    } else if texts + numbers > 0, !domainOverflowed {
      column.type = .categorical
      column.values = domain.sorted()
    } else {
      column.type = .string
    }
    return column
  }
}
