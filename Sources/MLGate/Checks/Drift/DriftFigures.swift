import Foundation

/// The drift figures of every feature of one reference/current pair, computed once per run.
struct DriftFigures: Sendable {
  /// One feature's figures.
  struct Feature: Sendable {
    enum Kind: String, Sendable {
      case numeric, categorical
    }

    var name: String
    var kind: Kind
    /// PSI over the bins (reference deciles, or categories).
    var psi: Double
    /// The bins' labels and shares in each file.
    var bins: [(label: String, reference: Double, current: Double)]
    /// The test's statistic (KS D or χ²) and p, when the test path is used.
    var test: (name: String, statistic: Double, p: Double)?
    /// The Holm-adjusted p across features.
    var adjustedP: Double?
    /// The distance (normalised Wasserstein or Jensen–Shannon), when the distance path is used.
    var distance: (name: String, value: Double)?
    /// Why the feature is not compared (free text), if so.
    var skipped: String?
    /// Medians (numeric) or the most common category (categorical), for the message.
    var centre: (reference: String, current: String)
    /// Missing shares.
    var missing: (reference: Double, current: Double)
  }

  var features: [Feature]
  var referenceRows: Int
  var currentRows: Int
  var referenceName: String
  var currentName: String
  /// Whether the tests (rather than distances) decide.
  var usesTests: Bool

  /// The bin of `value`: the number of edges strictly below it, so bins are (−∞, e₁], (e₁, e₂],
  /// …, (e_k, ∞).
  static func bin(of value: Double, edges: [Double]) -> Int {
    var low = 0
    var high = edges.count
    while low < high {
      let middle = (low + high) / 2
      if edges[middle] < value { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// Deciles 0.1…0.9 of `values` by linear interpolation (numpy's default), without duplicates.
  static func decileEdges(_ values: [Double]) -> [Double] {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return [] }
    var edges: [Double] = []
    for k in 1...9 {
      let position = Double(sorted.count - 1) * (Double(k) / 10)
      let below = Int(position.rounded(.down))
      let above = min(below + 1, sorted.count - 1)
      let g = position - Double(below)
      let a = sorted[below]
      let b = sorted[above]
      // numpy's lerp, to the last bit: from the nearer end.
      let value = g < 0.5 ? a + (b - a) * g : b - (b - a) * (1 - g)
      if edges.last != value { edges.append(value) }
    }
    return edges
  }

  /// Profiles both files (the reference twice: once to learn the kinds and deciles, once to
  /// count its bins) and computes every feature's figures.
  static func compute(
    config: DriftConfig, suite: Suite, reference: DataConfig.File,
    current: DataConfig.File
  ) throws(DataError) -> DriftFigures {
    let data = suite.data
    let first = try FeatureProfiler.profile(
      file: reference, features: config.features, data: data, sample: config.sample, edges: [:],
      random: SeededRandom(seed: suite.seed, stream: "drift/reference"))
    var kinds: [String: Feature.Kind] = [:]
    var edges: [String: [Double]] = [:]
    for name in config.features {
      guard let profile = first.profiles[name] else { continue }
      let numeric = profile.allNumbers && profile.count > 0 && profile.distinctNumbers.count > 5
      kinds[name] = numeric ? .numeric : .categorical
      if numeric { edges[name] = decileEdges(profile.values) }
    }
    let binned = try FeatureProfiler.profile(
      file: reference, features: config.features.filter { kinds[$0] == .numeric }, data: data,
      sample: 0, edges: edges, random: SeededRandom(seed: suite.seed, stream: "drift/unused"))
    let now = try FeatureProfiler.profile(
      file: current, features: config.features, data: data, sample: config.sample, edges: edges,
      random: SeededRandom(seed: suite.seed, stream: "drift/current"))
    let usesTests = config.usesTests(referenceRows: first.rows)
    var features: [Feature] = []
    for name in config.features {
      guard let old = first.profiles[name], let new = now.profiles[name], let kind = kinds[name]
      else { continue }
      features.append(
        feature(
          name, kind: kind, reference: old, referenceBins: binned.profiles[name]?.bins ?? [],
          current: new, edges: edges[name] ?? [], usesTests: usesTests))
    }
    let tested = features.indices.filter { features[$0].test != nil }
    let adjusted = MultipleTesting.holm(tested.map { features[$0].test?.p ?? 1 })
    for (slot, index) in tested.enumerated() { features[index].adjustedP = adjusted[slot] }
    return DriftFigures(
      features: features, referenceRows: first.rows, currentRows: now.rows,
      referenceName: reference.displayName, currentName: current.displayName,
      usesTests: usesTests)
  }

  /// One feature's figures from its profiles: PSI on `edges` or categories, and a test or distance.
  ///
  /// A column held in memory (the predictions) is profiled and compared the same way.
  static func feature(
    _ name: String, kind: Feature.Kind, reference: FeatureProfile, referenceBins: [Int],
    current: FeatureProfile, edges: [Double], usesTests: Bool
  ) -> Feature {
    func share(_ part: Int, _ whole: Int) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }
    let missing = (
      share(reference.missing, reference.count + reference.missing),
      share(current.missing, current.count + current.missing)
    )
    var result = Feature(
      name: name, kind: kind, psi: 0, bins: [], test: nil, adjustedP: nil, distance: nil,
      skipped: nil, centre: ("", ""), missing: missing)
    switch kind {
    case .numeric:
      let labels = (0...edges.count).map { index -> String in
        let low = index == 0 ? "-∞" : TextFormat.significant(edges[index - 1])
        let high = index == edges.count ? "∞" : TextFormat.significant(edges[index])
        return "(\(low), \(high)]"
      }
      let old = referenceBins.map { share($0, reference.count) }
      let new = current.bins.map { share($0, current.count) }
      result.bins = labels.indices.map { (labels[$0], old[$0], new[$0]) }
      result.psi = DriftStatistics.psi(expected: old, actual: new)
      result.centre = (
        TextFormat.compact(MannKendall.median(reference.values)),
        TextFormat.compact(MannKendall.median(current.values))
      )
      if usesTests {
        let ks = DriftStatistics.kolmogorovSmirnov(reference.values, current.values)
        result.test = ("Kolmogorov–Smirnov D", ks.d, ks.p)
      } else {
        let spread = max(DriftStatistics.standardDeviation(reference.values), 0.001)
        result.distance = (
          "Wasserstein distance in reference standard deviations",
          DriftStatistics.wasserstein(reference.values, current.values) / spread
        )
      }
    case .categorical:
      if reference.tooManyCategories || current.tooManyCategories {
        result.skipped =
          "more than \(FeatureProfile.maxCategories) distinct values: free text, not compared"
        return result
      }
      let names = Set(reference.categories.keys).union(current.categories.keys).sorted()
      let old = names.map { share(reference.categories[$0] ?? 0, reference.count) }
      let new = names.map { share(current.categories[$0] ?? 0, current.count) }
      result.bins = names.indices.map { (names[$0], old[$0], new[$0]) }
      result.psi = DriftStatistics.psi(expected: old, actual: new)
      let top = { (profile: FeatureProfile) -> String in
        profile.categories.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
          .map { "\($0.key) (\(TextFormat.percent(share($0.value, profile.count))))" } ?? "none"
      }
      result.centre = (top(reference), top(current))
      if usesTests {
        let test = DriftStatistics.chiSquared(
          reference: names.map { Double(reference.categories[$0] ?? 0) },
          current: names.map { Double(current.categories[$0] ?? 0) })
        result.test = ("χ²", test.statistic, test.p)
      } else {
        result.distance = ("Jensen–Shannon distance", DriftStatistics.jensenShannon(old, new))
      }
    }
    return result
  }
}
