/// One attack as a JUnit test case: correctly classified rows are attacked within the budget,
/// and the share the attack flips (Wilson interval) meets the bound.
struct AdversarialCheck: Check {
  let spec: AttackSpec
  let space: FeatureSpace

  var category: CategoryName { .adversarial }

  var name: String { spec.name }

  /// Rows read from the data before the correctly classified ones are drawn.
  static let pool = 10_000

  func run(_ context: RunContext) async throws -> CheckReport {
    let suite = context.suite
    let base = try await SampledRows.get(
      context, role: spec.data, sample: AdversarialCheck.pool, space: space)
    let predictions = try await base.predictions(
      context, role: spec.data, sample: AdversarialCheck.pool, names: space.names)
    let classes = predictions.classes ?? suite.model?.classes
    var random = SeededRandom(seed: suite.seed, stream: spec.stream)
    let correct = base.features.indices.filter {
      base.labels[$0].labelText == predictions.values[$0].labelText
    }
    let rows = AdversarialCheck.stratifiedSample(
      correct, labels: base.labels, count: spec.rows, random: &random)
    let originals = rows.map { row in
      QueryOracle.Answer(
        label: predictions.values[row].labelText ?? "(missing)",
        probabilities: predictions.probabilities?[row])
    }
    let oracle = QueryOracle(
      context: context, names: space.names, classes: classes, perRow: spec.maxQueries,
      total: spec.totalQueries, what: "the candidates of the attack '\(spec.name)'")
    let box = AttackBox(space: space, epsilon: spec.epsilon)
    let outcomes: [AttackOutcome]
    switch spec.kind {
    case .noise:
      outcomes = try await Attacks.noise(
        spec, rows: rows, base: base, originals: originals, box: box, oracle: oracle,
        random: &random)
    case .greedy:
      outcomes = try await Attacks.greedy(
        spec, rows: rows, base: base, originals: originals, box: box, oracle: oracle)
    case .hopSkipJump:
      outcomes = try await HopSkipJump(spec: spec, base: base, box: box, oracle: oracle).run(
        rows: rows, originals: originals, predictions: predictions, random: &random)
    }
    let summary = AttackSummary(
      spec: spec, outcomes: outcomes, queries: rows.map(oracle.queries(of:)),
      sampled: base.features.count, correct: correct.count, classes: oracle.classes,
      names: space.names)
    return summary.report(base: base)
  }

  /// `count` of `rows`, each class in proportion to its share, chosen at random; in row order.
  static func stratifiedSample(
    _ rows: [Int], labels: [DataValue], count: Int, random: inout SeededRandom
  ) -> [Int] {
    guard rows.count > count else { return rows }
    var groups: [String: [Int]] = [:]
    for row in rows { groups[labels[row].labelText ?? "", default: []].append(row) }
    var chosen: [Int] = []
    for key in groups.keys.sorted() {
      var group = groups[key] ?? []
      let share = Int((Double(group.count) * Double(count) / Double(rows.count)).rounded())
      for index in stride(from: group.count - 1, to: 0, by: -1) {
        group.swapAt(index, random.below(index + 1))
      }
      chosen.append(contentsOf: group.prefix(share))
    }
    return chosen.sorted()
  }
}
