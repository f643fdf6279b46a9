/// `tests: schema:` — data against a schema, the output contract, and bad input.
package struct SchemaConfig: Sendable {
  /// A data file to validate: a role of the suite's data, or a file of its own.
  package enum Target: Sendable, Equatable {
    /// The suite's test or reference data.
    case role(DataRole)
    /// Any other file (a payload log, a new batch of training data).
    case file(DataConfig.File)
  }

  /// The schema file, as the suite names it.
  package var schemaFile: String
  /// The schema.
  package var schema: DataSchema
  /// The files validated, in suite order.
  package var targets: [Target]
  /// The share of a column's rows that may break a per-row rule (type, range, domain).
  package var maxBadRows: Double
  /// The output contract, or nil when the suite turns it off or has no model.
  package var output: OutputContract?
  /// The bad-input cases, in suite order.
  package var badInput: [BadInputCase]
  /// The HTTP statuses an endpoint may answer a rejected payload with.
  package var rejectStatuses: Set<Int>
}

/// What every answer of the model must satisfy.
package struct OutputContract: Sendable, Equatable {
  /// How far a row's probabilities may sum from 1.
  package var sumTolerance: Double
  /// Whether the first batch is sent again and must get the same answer.
  package var deterministic: Bool
  /// How far a probability or value may move between the two answers.
  package var repeatTolerance: Double
}

/// One kind of bad input and what the model must do with it.
package struct BadInputCase: Sendable, Equatable {
  /// The kind of payload.
  package var kind: BadInputKind
  /// What the model must do.
  package var expect: BadInputExpectation
}

/// What a model must do with a bad input.
package enum BadInputExpectation: String, Sendable, CaseIterable {
  /// Refuse it with a clear error: a 4xx (or a configured status) with a message, or an error
  /// line from a command model.
  case reject
  /// Answer with valid predictions.
  case handle
}

/// The bad payloads mlgate builds from the schema.
package enum BadInputKind: String, Sendable, CaseIterable {
  /// `null` in each required column.
  case null
  /// NaN in each numeric column.
  case nan
  /// +Infinity and -Infinity in each numeric column.
  case infinity
  /// A string in each numeric column.
  case wrongType = "wrong_type"
  /// A number in each categorical column.
  case numberInCategorical = "number_in_categorical"
  /// A value outside the domain of each categorical column.
  case unknownCategory = "unknown_category"
  /// Each required column left out.
  case missingField = "missing_field"
  /// A column the model does not know, added.
  case extraField = "extra_field"
  /// A request with no rows.
  case emptyBatch = "empty_batch"
  /// A 1 MiB string in the first text column.
  case longString = "long_string"
  /// A request of many more rows than the suite's batch.
  case oversizedBatch = "oversized_batch"

  /// What the payload holds, for test names.
  package var phrase: String {
    switch self {
    case .null: return "a null in a required column"
    case .nan: return "NaN in a numeric column"
    case .infinity: return "±Infinity in a numeric column"
    case .wrongType: return "a string in a numeric column"
    case .numberInCategorical: return "a number in a categorical column"
    case .unknownCategory: return "an unknown category"
    case .missingField: return "a missing field"
    case .extraField: return "an extra field"
    case .emptyBatch: return "an empty batch"
    case .longString: return "a 1 MiB string"
    case .oversizedBatch: return "an oversized batch"
    }
  }
}
