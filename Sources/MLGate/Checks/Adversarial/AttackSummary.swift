/// The figures of one attack and its verdict: success rate (Wilson), robust accuracy over the
/// ε grid, median minimal perturbation, queries used, and the most damaging examples.
struct AttackSummary {
  let spec: AttackSpec
  let outcomes: [AttackOutcome]
  /// Queries each attacked row cost.
  let queries: [Int]
  /// Rows drawn from the data, and how many of them the model classified correctly.
  let sampled: Int
  let correct: Int
  let classes: [String]?
  /// The feature names, in the order of the rows' values.
  let names: [String]

  /// Attacked rows.
  var attacked: Int { outcomes.count }
  /// Rows the attack flipped.
  var successes: Int { outcomes.filter(\.succeeded).count }

  /// The share of attacked rows still correct against every candidate within `epsilon`.
  func robustAccuracy(at epsilon: Double) -> Double {
    guard attacked > 0 else { return 1 }
    let flipped = outcomes.filter { $0.succeeded && $0.lInf <= epsilon + 1e-12 }.count
    return 1 - Double(flipped) / Double(attacked)
  }

  /// The median over attacked rows of the smallest flipping L∞ distance (+∞ for rows that held).
  var medianPerturbation: Double {
    let distances = outcomes.map { $0.succeeded ? $0.lInf : Double.infinity }.sorted()
    guard !distances.isEmpty else { return .infinity }
    let middle = distances.count / 2
    return distances.count % 2 == 1
      ? distances[middle] : (distances[middle - 1] + distances[middle]) / 2
  }

  /// How the attack searched, for the body.
  private var method: String {
    switch spec.kind {
    case .noise: return ", \(spec.tries) random candidates per row"
    case .greedy: return ", at most \(spec.maxChanged) changed"
    case .hopSkipJump:
      return ", labels only, \(spec.iterations) iterations from the nearest row labelled otherwise"
    }
  }

  func report(base: SampledRows) -> CheckReport {
    let interval = WilsonInterval(successes: successes, n: attacked)
    let rate = TextFormat.figure(interval.estimate)
    let ci = "95% CI [\(TextFormat.figure(interval.lower)), \(TextFormat.figure(interval.upper))]"
    let spent = outcomes.filter { $0.budgetSpent && !$0.succeeded }.count
    let total = queries.reduce(0, +)
    let sortedQueries = queries.sorted()
    let median = medianPerturbation
    let grid = spec.grid.map {
      "ε \(TextFormat.scientific($0)): \(TextFormat.figure(robustAccuracy(at: $0)))"
    }
    var summary =
      "success rate=\(rate) (\(successes) of \(attacked) rows flipped) \(ci), robust accuracy \(TextFormat.figure(robustAccuracy(at: spec.epsilon))) at ε \(TextFormat.scientific(spec.epsilon)), \(total) queries"
    if spent > 0 { summary += ", \(spent) rows out of budget" }
    var details = """
      \(spec.kind.rawValue) attack within ε = \(TextFormat.scientific(spec.epsilon)) spread (L∞, IQR / 1.349 of each feature) on \(spec.mutable.count) mutable features\(method)
      attacked: \(attacked) correctly classified rows (of \(correct) correct among \(sampled) rows of the \(spec.data.rawValue) data; seeded, stratified by class)
      flipped: \(successes); success rate = \(rate), \(ci) (Wilson)\(spent > 0 ? "; \(spent) rows ran out of budget, so the rate is a lower bound" : "")
      robust accuracy: \(grid.joined(separator: ", "))
      median minimal perturbation: \(median.isFinite ? "\(TextFormat.figure(median)) spread" : "above ε (most rows held)")\(successes > 0 ? "; mean features changed \(TextFormat.figure(Double(outcomes.filter(\.succeeded).map(\.l0).reduce(0, +)) / Double(successes), digits: 2))" : "")
      queries: \(total) in all, per row median \(sortedQueries.isEmpty ? 0 : sortedQueries[sortedQueries.count / 2]), max \(sortedQueries.last ?? 0) (budget \(spec.maxQueries) per row, \(spec.totalQueries) in all)
      """
    let bound:
      (estimate: Double, lower: Double, upper: Double, limit: Double, side: Direction, text: String)
    if let maxRate = spec.maxSuccessRate {
      bound = (
        interval.estimate, interval.lower, interval.upper, maxRate, .upper,
        "success rate at most \(QualityCheck.bound(maxRate))"
      )
    } else {
      let minimum = spec.minRobustAccuracy ?? 0
      bound = (
        1 - interval.estimate, 1 - interval.upper, 1 - interval.lower, minimum, .lower,
        "robust accuracy at least \(QualityCheck.bound(minimum))"
      )
    }
    details +=
      "\nbound: \(bound.text), decided on the \(spec.decideOn == .estimate ? "point estimate" : "whole interval")"
    let examples = outcomes.filter(\.succeeded).sorted {
      ($0.lInf, $0.l0, $0.row) < ($1.lInf, $1.l0, $1.row)
    }.prefix(3)
    let shown = examples.map { example(of: $0, base: base) }
    if !shown.isEmpty {
      details +=
        "\n\nmost damaging (smallest change that flips):\n"
        + shown.map { "  " + $0 }.joined(separator: "\n")
    }
    guard attacked >= spec.minRows else {
      let message =
        "inconclusive: only \(attacked) correctly classified rows to attack, fewer than min_rows \(spec.minRows)"
      return CheckReport(
        outcome: .skipped(message: message, inconclusive: true), summary: summary + "\n" + details)
    }
    switch Verdict.decide(
      estimate: bound.estimate, lower: bound.lower, upper: bound.upper, bound: bound.limit,
      side: bound.side, rule: spec.decideOn)
    {
    case .meets:
      return CheckReport(outcome: .passed, summary: summary + "\n" + details)
    case .misses:
      var message =
        "\(successes) of \(attacked) rows flipped within ε \(TextFormat.scientific(spec.epsilon)) (success rate \(rate), \(ci)); expected \(bound.text)"
      if let first = shown.first { message += "; e.g. \(first)" }
      return CheckReport(outcome: .failed(message: message, details: details), summary: summary)
    case .inconclusive:
      let message = "inconclusive: success rate \(rate), \(ci) straddles the bound (\(bound.text))"
      return CheckReport(
        outcome: .skipped(message: message, inconclusive: true), summary: summary + "\n" + details)
    }
  }

  private func example(of outcome: AttackOutcome, base: SampledRows) -> String {
    let change = RowChange.describe(
      base.features[outcome.row], outcome.adversarial ?? [], names: names)
    let label = outcome.original.label
    func shown(_ answer: QueryOracle.Answer) -> String {
      guard let probabilities = answer.probabilities, let classes,
        let index = classes.firstIndex(of: label), index < probabilities.count
      else { return answer.label }
      return "\(answer.label) (P(\(label)) \(TextFormat.figure(probabilities[index])))"
    }
    return
      "line \(base.lines[outcome.row]) of \(base.file): \(change) (L∞ \(TextFormat.figure(outcome.lInf)) spread): \(shown(outcome.original)) → \(outcome.answer.map(shown) ?? "?")"
  }
}
