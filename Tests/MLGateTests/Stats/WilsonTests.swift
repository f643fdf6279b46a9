import Foundation
import PropertyBased
import Testing

@testable import MLGate

/// The Wilson interval and the normal quantile against the statistics notes' vectors and
/// scipy (`scipy.stats.norm.ppf`; Wilson's closed form evaluated in Python for the others).
@Suite struct WilsonTests {
  @Test(
    "two-sided 95 % intervals",
    arguments: [
      (3, 50, 0.020615, 0.162171), (0, 30, 0.0, 0.113513), (30, 30, 0.886487, 1.0),
      (53, 1000, 0.040747, 0.068675),
    ])
  func twoSided(successes: Int, n: Int, lower: Double, upper: Double) {
    let interval = WilsonInterval(successes: successes, n: n)
    #expect(abs(interval.lower - lower) < 5e-7, "\(interval)")
    #expect(abs(interval.upper - upper) < 5e-7, "\(interval)")
    #expect(interval.estimate == Double(successes) / Double(n))
  }

  @Test func oneSidedUpperBound() {
    #expect(abs(WilsonInterval.upperBound(successes: 2, n: 200) - 0.029765) < 5e-7)
  }

  @Test func nothingKnownWithoutRows() {
    let empty = WilsonInterval(successes: 0, n: 0)
    #expect(empty.lower == 0 && empty.upper == 1)
  }

  @Test(
    "quantiles equal scipy's norm.ppf",
    arguments: [
      (0.975, 1.959963984540054), (0.95, 1.6448536269514722), (0.3, -0.5244005127080407),
      (0.5, 0.0), (1e-10, -6.361340902404056), (0.999999, 4.753424308817087),
      (1e-300, -37.0470962993612),
    ])
  func quantile(p: Double, expected: Double) {
    #expect(abs(NormalDistribution.quantile(p) - expected) < 1e-12 * max(1, abs(expected)))
  }

  /// The quantile inverts the CDF everywhere, and the interval always holds the estimate.
  @Test func quantileInvertsTheCDFAndIntervalsHoldTheEstimate() async {
    await propertyCheck(count: 500, input: Gen.double(in: 1e-12...(1 - 1e-12))) { p in
      let x = NormalDistribution.quantile(p)
      #expect(abs(NormalDistribution.cdf(x) - p) < 1e-12 + 1e-9 * min(p, 1 - p))
    }
    await propertyCheck(count: 500, input: Gen.int(in: 1...5000), Gen.double(in: 0...1)) {
      n, share in
      let successes = Int((share * Double(n)).rounded(.down))
      let interval = WilsonInterval(successes: successes, n: n)
      #expect(interval.lower <= interval.estimate && interval.estimate <= interval.upper)
      #expect(interval.lower >= 0 && interval.upper <= 1)
      #expect(WilsonInterval.upperBound(successes: successes, n: n) <= interval.upper + 1e-15)
    }
  }
}
