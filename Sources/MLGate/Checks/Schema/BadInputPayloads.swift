/// The bad payloads of one kind, built from the schema and a real row.
struct BadInputPayload: Sendable {
  /// What the payload holds, as in "LoanDuration = NaN".
  var description: String
  /// The request.
  var input: ModelInput
}

extension BadInputKind {
  /// The unknown category and the extra field's name: recognisable in a model's logs.
  static let marker = "mlgate-bad-input"

  /// The payloads of this kind, one per column it applies to.
  ///
  /// Each is built on `base`, a real row in `names` order; columns the schema does not know
  /// are left alone.
  func payloads(schema: DataSchema, names: [String], base: [DataValue], batch: Int)
    -> [BadInputPayload]
  {
    let columns = names.enumerated().compactMap { index, name in
      schema.column(name).map { (index: index, column: $0) }
    }
    func replacing(_ index: Int, with value: DataValue, tokens: Bool = false) -> ModelInput {
      var row = base
      row[index] = value
      return ModelInput(featureNames: names, rows: [row], nonFiniteTokens: tokens)
    }
    let numeric = columns.filter { $0.column.isNumeric }
    let categorical = columns.filter { $0.column.type == .categorical }
    switch self {
    case .null:
      return columns.filter { $0.column.required }.map {
        BadInputPayload(
          description: "\($0.column.name) = null", input: replacing($0.index, with: .missing))
      }
    case .nan:
      return numeric.map {
        BadInputPayload(
          description: "\($0.column.name) = NaN",
          input: replacing($0.index, with: .number(.nan), tokens: true))
      }
    case .infinity:
      return numeric.map { entry in
        var low = base
        var high = base
        high[entry.index] = .number(.infinity)
        low[entry.index] = .number(-.infinity)
        return BadInputPayload(
          description: "\(entry.column.name) = Infinity and -Infinity (two rows)",
          input: ModelInput(featureNames: names, rows: [high, low], nonFiniteTokens: true))
      }
    case .wrongType:
      return numeric.map {
        BadInputPayload(
          description: "\($0.column.name) = \"not a number\"",
          input: replacing($0.index, with: .string("not a number")))
      }
    case .numberInCategorical:
      return categorical.map {
        BadInputPayload(
          description: "\($0.column.name) = 12345 (a number)",
          input: replacing($0.index, with: .number(12345)))
      }
    case .unknownCategory:
      return categorical.map {
        BadInputPayload(
          description: "\($0.column.name) = \"\(BadInputKind.marker)\"",
          input: replacing($0.index, with: .string(BadInputKind.marker)))
      }
    case .missingField:
      return columns.filter { $0.column.required }.map { entry in
        var row = base
        var fields = names
        row.remove(at: entry.index)
        fields.remove(at: entry.index)
        return BadInputPayload(
          description: "no \(entry.column.name) field",
          input: ModelInput(featureNames: fields, rows: [row]))
      }
    case .extraField:
      return [
        BadInputPayload(
          description: "an extra field '\(BadInputKind.marker)' = 1",
          input: ModelInput(
            featureNames: names + [BadInputKind.marker], rows: [base + [.number(1)]]))
      ]
    case .emptyBatch:
      return [
        BadInputPayload(description: "no rows", input: ModelInput(featureNames: names, rows: []))
      ]
    case .longString:
      let text = columns.first { !$0.column.isNumeric } ?? columns.first
      guard let text else { return [] }
      let long = String(repeating: "x", count: 1 << 20)
      return [
        BadInputPayload(
          description: "\(text.column.name) = a string of 1 MiB",
          input: replacing(text.index, with: .string(long)))
      ]
    case .oversizedBatch:
      let rows = Swift.max(1000, 10 * batch)
      return [
        BadInputPayload(
          description: "\(rows) rows (the suite's batch is \(batch))",
          input: ModelInput(featureNames: names, rows: Array(repeating: base, count: rows)))
      ]
    }
  }
}
