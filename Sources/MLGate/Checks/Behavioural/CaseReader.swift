/// Reads the hand-made cases of a minimum-functionality test when the suite is loaded: a CSV or
/// JSON Lines file with every feature, or a list of rows in the suite.
///
/// Each value must fit its column (type, domain), so a typo in a case is a suite error at its
/// line, not a silent failure of the model.
struct CaseReader {
  let space: FeatureSpace
  let outline: SuiteOutline

  func read(_ node: ConfigNode, expectColumn: ConfigNode?) throws(SuiteError) -> CaseSet {
    if node.isSequence {
      if let expectColumn {
        throw expectColumn.error("'expect_column' needs 'cases:' from a file")
      }
      return try inline(node)
    }
    let path = try node.filePath()
    let name = try node.string()
    let expectName = try expectColumn.map { (node) throws(SuiteError) in try node.nonEmptyString() }
    do throws(DataError) {
      return try file(path: path, name: name, expectColumn: expectName)
    } catch {
      throw node.error("\(error)")
    }
  }

  private func inline(_ node: ConfigNode) throws(SuiteError) -> CaseSet {
    let parser = PerturbationParser(space: space)
    var rows: [[DataValue]] = []
    var lines: [Int] = []
    for item in try node.sequence() {
      var row = [DataValue](repeating: .missing, count: space.features.count)
      var given = Set<Int>()
      for entry in try item.mapping(what: "a case") {
        let column = try parser.feature(entry.key, at: entry.keyNode)
        row[column] = try parser.value(entry.value, for: column)
        given.insert(column)
      }
      let absent = space.names.indices.filter { !given.contains($0) }.map { space.names[$0] }
      guard absent.isEmpty else {
        throw item.error(
          "a case gives every feature; this one lacks \(absent.prefix(5).joined(separator: ", "))\(absent.count > 5 ? " and \(absent.count - 5) more" : "")"
        )
      }
      rows.append(row)
      lines.append(item.position.line ?? 0)
    }
    guard !rows.isEmpty else { throw node.error("'cases' lists no case") }
    return CaseSet(origin: node.position.file, rows: rows, lines: lines, expected: nil)
  }

  private func file(path: String, name: String, expectColumn: String?) throws(DataError)
    -> CaseSet
  {
    let table = try TableReader(
      path: path, displayName: name, missingValues: outline.data.missingValues,
      maxLineBytes: outline.data.maxLineBytes)
    var positions: [Int] = []
    for feature in space.names {
      guard let position = table.columns.firstIndex(of: feature) else {
        throw DataError(
          file: name, line: 1, field: feature,
          message: "the cases lack this feature (a case gives every feature the model takes)")
      }
      positions.append(position)
    }
    let expectPosition = try expectColumn.map { (column) throws(DataError) in
      guard let position = table.columns.firstIndex(of: column) else {
        throw DataError(file: name, line: 1, field: column, message: "no such column in the cases")
      }
      return position
    }
    let known = Set(positions + (expectPosition.map { [$0] } ?? []))
    if let extra = table.columns.indices.first(where: { !known.contains($0) }) {
      throw DataError(
        file: name, line: 1, field: table.columns[extra],
        message:
          "not a feature of the data\(outline.label == table.columns[extra] ? " (the label: name it in 'expect_column' or leave it out)" : "")"
      )
    }
    var cases = CaseSet(origin: name, rows: [], lines: [], expected: expectColumn.map { _ in [] })
    while let (values, line) = try table.next() {
      guard cases.rows.count < BehaviouralConfigParser.maxCases else {
        throw DataError(
          file: name, line: line,
          message: "more than \(BehaviouralConfigParser.maxCases) cases: use 'data:' with a sample")
      }
      let row = positions.map { values[$0] }
      for (column, value) in row.enumerated() {
        if let problem = problem(with: value, in: space.features[column]) {
          throw DataError(file: name, line: line, field: space.names[column], message: problem)
        }
      }
      if let expectPosition {
        guard let label = values[expectPosition].labelText else {
          throw DataError(
            file: name, line: line, field: expectColumn, message: "the expected label is missing")
        }
        cases.expected?.append(label)
      }
      cases.rows.append(row)
      cases.lines.append(line)
    }
    guard !cases.rows.isEmpty else { throw DataError(file: name, message: "the file has no cases") }
    return cases
  }

  /// Why `value` does not fit `feature`, or nil.
  private func problem(with value: DataValue, in feature: FeatureSpec) -> String? {
    if case .missing = value { return nil }
    guard feature.type.admits(value) else {
      return "'\(value.labelText ?? "")' is not a \(feature.type.rawValue) value"
    }
    if let values = feature.values, let text = value.labelText, !values.contains(text) {
      return
        "'\(text)' is not a value of the column (\(values.prefix(8).joined(separator: ", "))\(values.count > 8 ? ", …" : ""))"
    }
    return nil
  }
}
