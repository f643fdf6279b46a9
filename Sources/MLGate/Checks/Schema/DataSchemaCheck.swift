/// One anomaly kind on one data file: "test data has numbers within the declared ranges".
///
/// The file is validated once (a shared figure) and each kind reads its part. Per-row kinds
/// fail when a column's share of offending rows exceeds `max_bad_rows`; the structural kinds
/// (missing or unexpected column, empty file) and too many missing values fail on any finding.
struct DataSchemaCheck: Check {
  let target: SchemaConfig.Target
  let kind: AnomalyKind
  let config: SchemaConfig

  var category: CategoryName { .schema }

  var name: String { "\(DataSchemaCheck.describe(target)) \(kind.expectation)" }

  static func describe(_ target: SchemaConfig.Target) -> String {
    switch target {
    case .role(let role): return "\(role.rawValue) data"
    case .file(let file): return file.displayName
    }
  }

  func run(_ context: RunContext) async throws -> CheckReport {
    let findings = try await DataSchemaCheck.findings(target, config: config, context: context)
    let columns = config.schema.columns.count
    let summary = "rows=\(findings.rows) schema columns=\(columns)"
    if findings.rows == 0, kind != .emptyFile, kind != .missingColumn, kind != .unexpectedColumn {
      let message = "\(findings.file) has no rows: nothing to check"
      return CheckReport(outcome: .skipped(message: message, inconclusive: true), summary: message)
    }
    let found = findings.anomalies(kind).filter { anomaly in
      !kind.isPerRow || Double(anomaly.rows) / Double(max(findings.rows, 1)) > config.maxBadRows
    }
    guard !found.isEmpty else { return CheckReport(outcome: .passed, summary: summary) }
    let parts = found.map { DataSchemaCheck.describe($0, rows: findings.rows, brief: true) }
    let shown = parts.prefix(3).joined(separator: "; ")
    let more = parts.count > 3 ? "; and \(parts.count - 3) more columns" : ""
    let head: String
    switch kind {
    case .emptyFile: head = "\(findings.file) has no rows"
    case .missingColumn, .unexpectedColumn, .typeMismatch, .outOfRange, .unknownCategory,
      .tooManyMissing:
      head =
        "\(found.count) column\(found.count == 1 ? "" : "s") of \(findings.file): \(shown)\(more)"
    }
    var details = "\(findings.file): \(findings.rows) rows, schema \(config.schemaFile)"
    if kind.isPerRow {
      details += " (a column fails above \(TextFormat.percent(config.maxBadRows)) of rows)"
    }
    details +=
      "\n"
      + found.map { DataSchemaCheck.describe($0, rows: findings.rows, brief: false) }
      .joined(separator: "\n")
    return CheckReport(outcome: .failed(message: head, details: details), summary: summary)
  }

  /// One anomaly in a sentence.
  static func describe(_ anomaly: ColumnAnomaly, rows: Int, brief: Bool) -> String {
    let share = TextFormat.percent(Double(anomaly.rows) / Double(max(rows, 1)))
    let values = anomaly.topValues.map { "'\($0.value)' ×\($0.count)" }
      .prefix(brief ? 3 : 5).joined(separator: ", ")
    let lines = anomaly.firstLines.prefix(brief ? 3 : 5).map(String.init).joined(separator: ", ")
    switch anomaly.kind {
    case .emptyFile:
      return "no rows"
    case .missingColumn:
      return "'\(anomaly.column)' is missing (\(anomaly.allowed))"
    case .unexpectedColumn:
      return "'\(anomaly.column)' is not in the schema"
    case .typeMismatch:
      return
        "'\(anomaly.column)': \(anomaly.rows) rows (\(share)) not \(anomaly.allowed): \(values); first on lines \(lines)"
    case .outOfRange:
      return
        "'\(anomaly.column)': \(anomaly.rows) rows (\(share)) outside \(anomaly.allowed): \(values); first on lines \(lines)"
    case .unknownCategory:
      return
        "'\(anomaly.column)': \(anomaly.rows) rows (\(share)) outside \(anomaly.allowed): \(values); first on lines \(lines)"
    case .tooManyMissing:
      return "'\(anomaly.column)': \(anomaly.rows) rows (\(share)) missing, \(anomaly.allowed)"
    }
  }

  /// The findings of `target`, validated once per run.
  static func findings(
    _ target: SchemaConfig.Target, config: SchemaConfig, context: RunContext
  ) async throws(ScoringError) -> SchemaFindings {
    let file: DataConfig.File
    switch target {
    case .role(let role): file = try await context.dataFile(role)
    case .file(let named): file = named
    }
    let data = context.suite.data
    let schema = config.schema
    return try await context.shared(FindingsKey(path: file.path, schema: config.schemaFile)) {
      () async throws(ScoringError) in
      let result = await context.compute { () -> Result<SchemaFindings, DataError> in
        do throws(DataError) {
          let table = try TableReader(
            path: file.path, displayName: file.displayName, missingValues: data.missingValues,
            maxLineBytes: data.maxLineBytes)
          return .success(try SchemaValidation(schema: schema).validate(table))
        } catch {
          guard error.isEmptyFile else { return .failure(error) }
          return .success(SchemaValidation.emptyFile(file.displayName))
        }
      }
      switch result {
      case .success(let findings): return findings
      case .failure(let error): throw .data(error)
      }
    }
  }
}

private struct FindingsKey: Hashable, Sendable {
  var path: String
  var schema: String
}

extension CategoryName {
  /// Data schema, output contract and bad input.
  package static let schema = CategoryName(rawValue: "schema")
}
