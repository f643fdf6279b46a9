import Foundation

/// McNemar's test on paired correctness: b rows the baseline got right and the candidate wrong,
/// c the other way round (statsmodels' `mcnemar`, the notes §1).
package struct McNemar: Sendable, Equatable {
  /// Rows only the baseline got right.
  package var b: Int
  /// Rows only the candidate got right.
  package var c: Int

  /// Creates the test.
  package init(b: Int, c: Int) {
    self.b = b
    self.c = c
  }

  /// The exact two-sided p: min(1, 2 P(X ≤ min(b, c))), X ~ Bin(b + c, ½).
  package var twoSided: Double {
    let n = b + c
    guard n > 0 else { return 1 }
    return min(1, 2 * SpecialFunctions.binomialHalfCDF(min(b, c), n: n))
  }

  /// The exact one-sided p that the candidate is worse: P(X ≥ b), X ~ Bin(b + c, ½).
  package var candidateWorse: Double {
    let n = b + c
    guard n > 0, b > 0 else { return 1 }
    return 1 - SpecialFunctions.binomialHalfCDF(b - 1, n: n)
  }

  /// χ² with continuity correction, (|b − c| − 1)² / (b + c), and its p (1 degree of freedom);
  /// like statsmodels, not clamped at 0 when b = c.
  package var chiSquared: (statistic: Double, p: Double) {
    let n = Double(b + c)
    guard n > 0 else { return (0, 1) }
    let statistic = pow(abs(Double(b - c)) - 1, 2) / n
    return (statistic, SpecialFunctions.chiSquaredSurvival(statistic, degreesOfFreedom: 1))
  }

  /// Rows a paired test of `total` rows needs (Connor 1987) to detect an accuracy drop `delta`
  /// with power `power` at one-sided level `alpha`, when a share `discordance` of rows is
  /// discordant.
  package static func sampleSize(
    discordance psi: Double, delta: Double, alpha: Double = 0.05, power: Double = 0.8
  ) -> Double {
    let za = NormalDistribution.quantile(1 - alpha)
    let zb = NormalDistribution.quantile(power)
    let root = za * psi.squareRoot() + zb * max(0, psi - delta * delta).squareRoot()
    return root * root / (delta * delta)
  }

  /// The smallest drop `total` rows detect with `power` at `alpha` (the inverse of
  /// ``sampleSize(discordance:delta:alpha:power:)``), by bisection; nil when no drop up to the
  /// discordance can be detected.
  package static func minimumDetectableDrop(
    total: Int, discordance psi: Double, alpha: Double = 0.05, power: Double = 0.8
  ) -> Double? {
    guard total > 0, psi > 0 else { return nil }
    var low = 1e-9
    var high = psi.squareRoot()
    guard sampleSize(discordance: psi, delta: high, alpha: alpha, power: power) <= Double(total)
    else { return nil }
    for _ in 0..<100 {
      let middle = (low + high) / 2
      if sampleSize(discordance: psi, delta: middle, alpha: alpha, power: power) > Double(total) {
        low = middle
      } else {
        high = middle
      }
    }
    return high
  }
}
