import Testing

@testable import MLGate

/// The one decision every gated figure goes through.
@Suite struct VerdictTests {
  @Test(
    "the point estimate decides under the estimate rule, whatever the interval",
    arguments: [
      (0.80, Direction.lower, Verdict.meets), (0.79, .lower, .misses), (0.80, .upper, .meets),
      (0.81, .upper, .misses),
    ])
  func estimateRule(estimate: Double, side: Direction, expected: Verdict) {
    let verdict = Verdict.decide(
      estimate: estimate, lower: 0.1, upper: 0.99, bound: 0.8, side: side, rule: .estimate)
    #expect(verdict == expected)
  }

  @Test(
    "the whole interval decides under the interval rule",
    arguments: [
      // lower limit 0.8
      (0.85, 0.81, 0.9, Direction.lower, Verdict.meets),
      (0.85, 0.80, 0.9, .lower, .meets),
      (0.85, 0.75, 0.9, .lower, .inconclusive),
      (0.75, 0.70, 0.79, .lower, .misses),
      (0.75, 0.70, 0.80, .lower, .inconclusive),
      // upper limit 0.8
      (0.75, 0.70, 0.79, .upper, .meets),
      (0.75, 0.70, 0.85, .upper, .inconclusive),
      (0.85, 0.81, 0.9, .upper, .misses),
    ])
  func intervalRule(
    estimate: Double, lower: Double, upper: Double, side: Direction, expected: Verdict
  ) {
    let verdict = Verdict.decide(
      estimate: estimate, lower: lower, upper: upper, bound: 0.8, side: side, rule: .interval)
    #expect(verdict == expected)
  }

  @Test func anUndefinedIntervalIsInconclusive() {
    #expect(
      Verdict.decide(
        estimate: 0.9, lower: .nan, upper: .nan, bound: 0.8, side: .lower, rule: .interval)
        == .inconclusive)
  }

  @Test func aNonFiniteEstimateNeverMeets() {
    for rule in [DecisionRule.estimate, .interval] {
      #expect(
        Verdict.decide(
          estimate: .nan, lower: 0.9, upper: 0.95, bound: 0.8, side: .lower, rule: rule)
          == .misses)
      #expect(
        Verdict.decide(
          estimate: .infinity, lower: 0.9, upper: 0.95, bound: 0.8, side: .upper, rule: rule)
          == .misses)
    }
  }

  /// Under the interval rule a verdict never contradicts the estimate rule: it may only
  /// withhold one (property over a grid of figures).
  @Test func theIntervalRuleNeverContradictsTheEstimate() {
    let values = stride(from: 0.0, through: 1.0, by: 0.05).map { $0 }
    for bound in values {
      for estimate in values {
        for width in [0.0, 0.03, 0.1, 0.4] {
          for side in [Direction.lower, .upper] {
            let lower = max(0, estimate - width)
            let upper = min(1, estimate + width)
            let byEstimate = Verdict.decide(
              estimate: estimate, lower: lower, upper: upper, bound: bound, side: side,
              rule: .estimate)
            let byInterval = Verdict.decide(
              estimate: estimate, lower: lower, upper: upper, bound: bound, side: side,
              rule: .interval)
            #expect(byInterval == .inconclusive || byInterval == byEstimate)
          }
        }
      }
    }
  }
}
