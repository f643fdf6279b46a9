/// What every column of a data file must look like, in the spirit of TensorFlow Data
/// Validation: a type, whether the column must be present, the share of missing values allowed,
/// a range for numbers and a domain for categories.
///
/// Written by `mlgate schema infer` as YAML that a team edits and commits (see ``SchemaFile``);
/// read by `tests: schema:` to validate data files and to generate the bad-input payloads.
package struct DataSchema: Sendable, Equatable {
  /// The label column, when the schema names one: never sent to a model.
  package var label: String?
  /// The columns, in file order.
  package var columns: [ColumnSchema]

  /// Creates a schema.
  package init(label: String? = nil, columns: [ColumnSchema]) {
    self.label = label
    self.columns = columns
  }

  /// The column named `name`.
  package func column(_ name: String) -> ColumnSchema? { columns.first { $0.name == name } }

  /// The columns a model receives: all but the label.
  package var features: [ColumnSchema] { columns.filter { $0.name != label } }
}

/// One column of a ``DataSchema``.
package struct ColumnSchema: Sendable, Equatable {
  /// The column's name in the header (CSV) or the member name (JSON Lines).
  package var name: String
  /// What its present values are.
  package var type: ColumnType
  /// Whether a file must have the column.
  package var required: Bool
  /// The largest share (0…1) of rows whose value may be missing.
  package var maxMissing: Double
  /// The smallest number allowed (integer and number columns).
  package var min: Double?
  /// The largest number allowed (integer and number columns).
  package var max: Double?
  /// The allowed values of a categorical column, as text.
  package var values: [String]?

  /// Creates a column.
  package init(
    name: String, type: ColumnType, required: Bool = true, maxMissing: Double = 0,
    min: Double? = nil, max: Double? = nil, values: [String]? = nil
  ) {
    self.name = name
    self.type = type
    self.required = required
    self.maxMissing = maxMissing
    self.min = min
    self.max = max
    self.values = values
  }

  /// Whether values of this column are numbers.
  package var isNumeric: Bool { type == .integer || type == .number }
}

/// The type of a column's present values.
package enum ColumnType: String, Sendable, CaseIterable {
  /// Whole numbers.
  case integer
  /// Any finite numbers.
  case number
  /// `true` / `false` (any case), or 0 / 1 from JSON booleans.
  case boolean
  /// Text from a small domain (`values`).
  case categorical
  /// Free text.
  case string

  /// Whether `value` (present) has this type.
  package func admits(_ value: DataValue) -> Bool {
    switch (self, value) {
    case (_, .missing): return true
    case (.integer, .number(let number)): return number == number.rounded()
    case (.integer, .string), (.number, .string): return false
    case (.number, .number(let number)): return number.isFinite
    case (.boolean, .number(let number)): return number == 0 || number == 1
    case (.boolean, .string(let text)): return ColumnType.booleanWords.contains(text.lowercased())
    case (.categorical, _), (.string, _): return true
    }
  }

  /// The words a boolean column holds.
  static let booleanWords: Set<String> = ["true", "false"]
}
