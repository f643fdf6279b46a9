/// What an attack found for one attacked row.
struct AttackOutcome {
  /// The row's position among the sampled rows.
  var row: Int
  /// The answer to the original row.
  var original: QueryOracle.Answer
  /// The flipping candidate, when the attack found one.
  var adversarial: [DataValue]?
  /// The answer to it.
  var answer: QueryOracle.Answer?
  /// Its L∞ distance (spread units, numeric features) and its changed features.
  var lInf = Double.infinity
  var l0 = 0
  /// Whether the row's budget ran out before the attack ended.
  var budgetSpent = false

  /// Whether the attack flipped the row.
  var succeeded: Bool { adversarial != nil }
}

/// The attacks, each over every attacked row at once so queries are batched across rows.
enum Attacks {
  /// Random points in the ε box: `tries` per row, all rows in one batch.
  static func noise(
    _ spec: AttackSpec, rows: [Int], base: SampledRows, originals: [QueryOracle.Answer],
    box: AttackBox, oracle: QueryOracle, random: inout SeededRandom
  ) async throws(ScoringError) -> [AttackOutcome] {
    var requests: [(row: Int, values: [DataValue])] = []
    for row in rows {
      for _ in 0..<spec.tries {
        var candidate = base.features[row]
        for column in spec.mutable {
          let draw = Double(random.next() >> 11) * 0x1p-53 * 2 - 1
          guard case .number(let value) = candidate[column] else { continue }
          let reach = spec.epsilon * (box.space.features[column].spread ?? 0)
          candidate[column] = .number(
            box.project(value + draw * reach, column: column, original: value))
        }
        requests.append((row, candidate))
      }
    }
    let answers = try await oracle.ask(requests)
    var outcomes: [Int: AttackOutcome] = [:]
    for (position, row) in rows.enumerated() {
      outcomes[row] = AttackOutcome(row: row, original: originals[position])
    }
    for (index, request) in requests.enumerated() {
      guard var outcome = outcomes[request.row] else { continue }
      guard let answer = answers[index] else {
        outcome.budgetSpent = true
        outcomes[request.row] = outcome
        continue
      }
      let label = base.labels[request.row].labelText ?? ""
      guard answer.label != label else { continue }
      let distance = box.distance(from: base.features[request.row], to: request.values)
      if distance.lInf < outcome.lInf {
        outcome.adversarial = request.values
        outcome.answer = answer
        (outcome.lInf, outcome.l0) = distance
        outcomes[request.row] = outcome
      }
    }
    return rows.compactMap { outcomes[$0] }
  }

  /// Greedy coordinate search on the true class's margin: each sweep tries every single-feature
  /// step from the current point (numeric: ±¼, ½, 1 ε spreads; categorical: every other value),
  /// for all rows in one batch, and keeps each row's best; it stops on a flip, a sweep without
  /// improvement, or the budget.
  static func greedy(
    _ spec: AttackSpec, rows: [Int], base: SampledRows, originals: [QueryOracle.Answer],
    box: AttackBox, oracle: QueryOracle
  ) async throws(ScoringError) -> [AttackOutcome] {
    var outcomes = rows.enumerated().map { AttackOutcome(row: $1, original: originals[$0]) }
    var current = rows.map { base.features[$0] }
    var margins = try rows.indices.map { (index) throws(ScoringError) -> Double in
      let label = base.labels[rows[index]].labelText ?? ""
      guard let margin = oracle.margin(originals[index], trueLabel: label) else {
        throw .suite(
          "the greedy attack follows the model's probabilities, but its answers give none for '\(label)' (classes: \(oracle.classes?.joined(separator: ", ") ?? "none")); use 'attack: noise'"
        )
      }
      return margin
    }
    var active = Array(rows.indices)
    let steps = [0.25, 0.5, 1.0]
    while !active.isEmpty {
      var requests: [(row: Int, values: [DataValue])] = []
      var owners: [Int] = []
      for index in active {
        let original = base.features[rows[index]]
        let point = current[index]
        let changed = spec.mutable.filter { point[$0] != original[$0] }
        let open = changed.count >= spec.maxChanged ? changed : spec.mutable
        for column in open {
          let feature = box.space.features[column]
          var options: [DataValue] = []
          if case .number(let value) = point[column], case .number(let start) = original[column] {
            let reach = spec.epsilon * (feature.spread ?? 0)
            for step in steps {
              for sign in [-1.0, 1.0] {
                options.append(
                  .number(box.project(value + sign * step * reach, column: column, original: start))
                )
              }
            }
          } else if let values = feature.values {
            options = values.prefix(11).map(feature.value(ofText:))
          }
          var seen = Set<DataValue>()
          for option in options where option != point[column] && seen.insert(option).inserted {
            var candidate = point
            candidate[column] = option
            requests.append((rows[index], candidate))
            owners.append(index)
          }
        }
      }
      let answers = try await oracle.ask(requests)
      var best: [Int: (margin: Double, request: Int)] = [:]
      var starved = Set<Int>()
      for (request, answer) in answers.enumerated() {
        let index = owners[request]
        guard let answer else {
          starved.insert(index)
          continue
        }
        let label = base.labels[rows[index]].labelText ?? ""
        // A flipped answer always beats an unflipped one, whatever its probabilities say.
        let raw = oracle.margin(answer, trueLabel: label)
        let margin = answer.label != label ? min(raw ?? -1, -1e-12) : raw ?? .infinity
        if margin < best[index]?.margin ?? .infinity { best[index] = (margin, request) }
      }
      var still: [Int] = []
      for index in active {
        guard let found = best[index], found.margin < margins[index] - 1e-12 else {
          if starved.contains(index) { outcomes[index].budgetSpent = true }
          continue
        }
        let values = requests[found.request].values
        current[index] = values
        margins[index] = found.margin
        if let answer = answers[found.request],
          answer.label != (base.labels[rows[index]].labelText ?? "")
        {
          outcomes[index].adversarial = values
          outcomes[index].answer = answer
          (outcomes[index].lInf, outcomes[index].l0) = box.distance(
            from: base.features[rows[index]], to: values)
          continue
        }
        if oracle.queries(of: rows[index]) >= spec.maxQueries
          || oracle.usedTotal >= spec.totalQueries
        {
          outcomes[index].budgetSpent = true
          continue
        }
        still.append(index)
      }
      active = still
    }
    return outcomes
  }
}
