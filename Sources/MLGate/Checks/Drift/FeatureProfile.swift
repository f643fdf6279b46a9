/// What one pass over a data file keeps of each feature: bounded by the sample size and the
/// number of categories, whatever the number of rows.
struct FeatureProfile: Sendable {
  /// Non-missing values seen.
  var count = 0
  /// Missing values seen.
  var missing = 0
  /// Whether every non-missing value was a number.
  var allNumbers = true
  /// Up to six distinct numbers (more than five makes the feature numeric).
  var distinctNumbers: Set<Double> = []
  /// A seeded sample (Algorithm R) of the numbers, at most `sample` values.
  var values: [Double] = []
  /// Counts per category (values as labels: `2` for 2.0), at most ``maxCategories``.
  var categories: [String: Int] = [:]
  /// Whether more categories came than are counted (free text: not compared).
  var tooManyCategories = false
  /// Counts per numeric bin, once the bins are known.
  var bins: [Int] = []

  /// The most categories counted per feature.
  static let maxCategories = 1_000

  /// Counts one value: missing, a category, and a number (sampled, and binned on `edges`).
  mutating func add(
    _ value: DataValue, sample: Int, edges: [Double]?, random: inout SeededRandom
  ) {
    guard let text = value.labelText else {
      missing += 1
      return
    }
    count += 1
    if case .number(let number) = value {
      if distinctNumbers.count <= 5 { distinctNumbers.insert(number) }
      if values.count < sample {
        values.append(number)
      } else {
        let slot = random.below(count)
        if slot < sample { values[slot] = number }
      }
      if let edges { bins[DriftFigures.bin(of: number, edges: edges)] += 1 }
    } else {
      allNumbers = false
    }
    if categories[text] != nil || categories.count < FeatureProfile.maxCategories {
      categories[text, default: 0] += 1
    } else {
      tooManyCategories = true
    }
  }

  /// The profile of a column held in memory (a model's predictions), as a file's pass makes it.
  static func of(
    _ column: some Sequence<DataValue>, sample: Int, edges: [Double]?, random: SeededRandom
  ) -> FeatureProfile {
    var profile = FeatureProfile()
    var random = random
    if let edges { profile.bins = [Int](repeating: 0, count: edges.count + 1) }
    for value in column { profile.add(value, sample: sample, edges: edges, random: &random) }
    return profile
  }
}

/// Reads a data file once and profiles the named features.
enum FeatureProfiler {
  /// Profiles `features` of `file`; numeric bins are counted when `edges` are given.
  static func profile(
    file: DataConfig.File, features: [String], data: DataConfig, sample: Int,
    edges: [String: [Double]], random: SeededRandom
  ) throws(DataError) -> (profiles: [String: FeatureProfile], rows: Int) {
    var random = random
    let table = try TableReader(
      path: file.path, displayName: file.displayName, missingValues: data.missingValues,
      maxLineBytes: data.maxLineBytes)
    var positions: [Int] = []
    for feature in features {
      guard let position = table.columns.firstIndex(of: feature) else {
        throw DataError(
          file: file.displayName, line: 1, field: feature,
          message: "the feature is not a column of this file")
      }
      positions.append(position)
    }
    var profiles = [FeatureProfile](repeating: FeatureProfile(), count: features.count)
    for (index, feature) in features.enumerated() {
      if let edges = edges[feature] {
        profiles[index].bins = [Int](repeating: 0, count: edges.count + 1)
      }
    }
    let edgeList = features.map { edges[$0] }
    var rows = 0
    while let row = try table.next() {
      rows += 1
      for (index, position) in positions.enumerated() {
        profiles[index].add(
          row.values[position], sample: sample, edges: edgeList[index], random: &random)
      }
    }
    return (Dictionary(uniqueKeysWithValues: zip(features, profiles)), rows)
  }
}
