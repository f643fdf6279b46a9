import Synchronization

/// What each feature may hold: the constraints a perturbation or an attack keeps (type,
/// bounds, categorical domain) and the spread that noise is measured in.
///
/// Built from the suite's schema when it has one (the team's declared truth), else inferred
/// from the reference data (else the test data), as `mlgate schema infer` would; the spread
/// always comes from the data.
package struct FeatureSpace: Sendable {
  /// The features the model receives, in the data's column order.
  package var features: [FeatureSpec]
  /// The file the spreads (and, without a schema, the constraints) come from.
  package var source: String

  /// The feature named `name`.
  package func feature(_ name: String) -> FeatureSpec? { features.first { $0.name == name } }

  /// The position of the feature named `name` among ``features``.
  package func index(of name: String) -> Int? { features.firstIndex { $0.name == name } }

  /// The feature names, in order.
  package var names: [String] { features.map(\.name) }

  /// The most values per column kept to measure spreads: enough for stable quartiles.
  static let spreadSample = 100_000

  /// Reads the reference data (else the test data) once and merges `schema` over it.
  package static func load(data: DataConfig, label: String?, schema: DataSchema?)
    throws(DataError) -> FeatureSpace
  {
    guard let file = data.reference ?? data.test else {
      throw DataError(file: "suite", message: "no data file to learn the features from")
    }
    let table = try TableReader(
      path: file.path, displayName: file.displayName, missingValues: data.missingValues,
      maxLineBytes: data.maxLineBytes)
    let reader = try LabelledBatchReader(
      table: table, label: label.flatMap { table.columns.contains($0) ? $0 : nil },
      drop: data.drop)
    let names = reader.featureNames
    var profiles = names.map { _ in ColumnProfile(maxDomain: 50) }
    var numbers = names.map { _ in [Double]() }
    var rows = 0
    while let batch = try reader.nextBatch(size: 1024) {
      for row in batch.features {
        rows += 1
        for column in row.indices {
          profiles[column].add(row[column])
          if case .number(let value) = row[column], numbers[column].count < spreadSample {
            numbers[column].append(value)
          }
        }
      }
    }
    guard rows > 0 else {
      throw DataError(file: file.displayName, message: "the file has no rows to learn from")
    }
    var features: [FeatureSpec] = []
    for (column, name) in names.enumerated() {
      let inferred = profiles[column].column(named: name, rows: rows)
      let declared = schema?.column(name) ?? inferred
      features.append(
        FeatureSpec(
          name: name, type: declared.type, min: declared.min, max: declared.max,
          values: declared.values, spread: FeatureSpec.spread(of: numbers[column])))
    }
    return FeatureSpace(features: features, source: file.displayName)
  }
}

/// One feature's constraints.
package struct FeatureSpec: Sendable, Equatable {
  /// The column name.
  package var name: String
  /// What its values are.
  package var type: ColumnType
  /// The smallest value allowed (numeric columns).
  package var min: Double?
  /// The largest value allowed (numeric columns).
  package var max: Double?
  /// The allowed values (categorical columns), as text.
  package var values: [String]?
  /// The typical distance between values, the unit of noise.
  ///
  /// IQR / 1.349 (the standard deviation of a normal with that IQR), else the standard
  /// deviation when the quartiles meet, floored at 1e-9. Nil for columns without numbers.
  package var spread: Double?

  /// Creates a feature.
  package init(
    name: String, type: ColumnType, min: Double? = nil, max: Double? = nil,
    values: [String]? = nil, spread: Double? = nil
  ) {
    self.name = name
    self.type = type
    self.min = min
    self.max = max
    self.values = values
    self.spread = spread
  }

  /// Whether values are numbers.
  package var isNumeric: Bool { type.isNumeric }

  /// `value` kept inside the feature's bounds, whole for an integer column.
  ///
  /// `original` is the value before the change: an integer moves by the whole part of the
  /// change (towards the original), so a perturbation never overshoots what it asked for.
  package func project(_ value: Double, from original: Double) -> Double {
    var result = value
    if type == .integer { result = original + (value - original).rounded(.towardZero) }
    if let min, result < min { result = min }
    if let max, result > max { result = max }
    return result
  }

  /// The value a suite writes as `text` for this feature, typed as a data file would be.
  package func value(ofText text: String) -> DataValue {
    DataValue.fromCSV(Substring(text), missing: DataValue.MissingMarkers([]))
  }

  /// IQR / 1.349, else the standard deviation, floored at 1e-9 (linear-interpolation
  /// quartiles, as numpy's default).
  static func spread(of values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    func quantile(_ q: Double) -> Double {
      let position = q * Double(sorted.count - 1)
      let low = Int(position.rounded(.down))
      let high = Swift.min(low + 1, sorted.count - 1)
      return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
    let iqr = (quantile(0.75) - quantile(0.25)) / 1.349
    if iqr > 0 { return Swift.max(iqr, 1e-9) }
    let mean = values.reduce(0, +) / Double(values.count)
    let variance =
      values.count > 1
      ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
    return Swift.max(variance.squareRoot(), 1e-9)
  }
}

extension ColumnType {
  /// Whether values are numbers.
  package var isNumeric: Bool { self == .integer || self == .number }
}

/// The suite's feature space, loaded on first use and shared by the sections that need it.
package final class FeatureSpaceCache: Sendable {
  private let state = Mutex<Result<FeatureSpace, DataError>?>(nil)

  /// Creates an empty cache.
  package init() {}

  /// The feature space, made by `make` on the first call.
  package func get(_ make: () throws(DataError) -> FeatureSpace) throws(DataError)
    -> FeatureSpace
  {
    if let known = state.withLock({ $0 }) { return try known.get() }
    let made: Result<FeatureSpace, DataError>
    do throws(DataError) { made = .success(try make()) } catch { made = .failure(error) }
    state.withLock { $0 = made }
    return try made.get()
  }
}
