/// How a gated figure becomes a verdict: one pure function that every category uses, so all
/// decide the same way.
package enum Verdict: Sendable, Equatable {
  /// The figure meets its bound.
  case meets
  /// The figure misses its bound.
  case misses
  /// The interval straddles the bound: the evidence is too thin to decide.
  case inconclusive

  /// Decides `estimate` (with its interval `lower…upper`) against `bound` on `side`.
  ///
  /// With ``DecisionRule/estimate`` the point estimate alone decides (IBM OpenScale's rule; the
  /// interval is only reported). With ``DecisionRule/interval`` the whole interval must meet the
  /// bound to pass and miss it entirely to fail; anything else is inconclusive. A bound met
  /// exactly is met. A non-finite estimate never meets a bound.
  package static func decide(
    estimate: Double, lower: Double, upper: Double, bound: Double, side: Direction,
    rule: DecisionRule
  ) -> Verdict {
    func meets(_ value: Double) -> Bool {
      side == .lower ? value >= bound : value <= bound
    }
    guard estimate.isFinite else { return .misses }
    switch rule {
    case .estimate:
      return meets(estimate) ? .meets : .misses
    case .interval:
      let optimistic = side == .lower ? upper : lower
      let pessimistic = side == .lower ? lower : upper
      if pessimistic.isFinite, meets(pessimistic) { return .meets }
      if optimistic.isFinite, !meets(optimistic) { return .misses }
      return .inconclusive
    }
  }
}
