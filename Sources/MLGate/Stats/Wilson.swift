import Foundation

/// The Wilson score interval of a binomial proportion: the interval every failure rate in
/// mlgate is reported with (it behaves at 0 and n failures, where the Wald interval collapses).
package struct WilsonInterval: Sendable, Equatable {
  /// The observed proportion, `successes / n` (0 when n is 0).
  package var estimate: Double
  /// The lower end.
  package var lower: Double
  /// The upper end.
  package var upper: Double

  /// The two-sided interval at `confidence` for `successes` out of `n`.
  ///
  /// With n = 0 nothing is known: the interval is [0, 1].
  package init(successes: Int, n: Int, confidence: Double = 0.95) {
    precondition(successes >= 0 && successes <= n && confidence > 0 && confidence < 1)
    guard n > 0 else {
      (estimate, lower, upper) = (0, 0, 1)
      return
    }
    let z = NormalDistribution.quantile(1 - (1 - confidence) / 2)
    (estimate, lower, upper) = WilsonInterval.bounds(successes: successes, n: n, z: z)
  }

  /// The one-sided upper bound at `confidence` (the bound a gate on a rate compares).
  package static func upperBound(successes: Int, n: Int, confidence: Double = 0.95) -> Double {
    precondition(successes >= 0 && successes <= n && confidence > 0 && confidence < 1)
    guard n > 0 else { return 1 }
    return bounds(successes: successes, n: n, z: NormalDistribution.quantile(confidence)).2
  }

  private static func bounds(successes: Int, n: Int, z: Double) -> (Double, Double, Double) {
    let count = Double(n)
    let p = Double(successes) / count
    let z2 = z * z
    let centre = (p + z2 / (2 * count)) / (1 + z2 / count)
    let half = z / (1 + z2 / count) * (p * (1 - p) / count + z2 / (4 * count * count)).squareRoot()
    // At 0 and n the ends are exactly 0 and 1 (the formula gives them up to rounding).
    let lower = successes == 0 ? 0 : max(0, centre - half)
    let upper = successes == n ? 1 : min(1, centre + half)
    return (p, lower, upper)
  }
}

/// The standard normal distribution.
package enum NormalDistribution {
  /// The cumulative probability of `x`.
  package static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

  /// The value whose cumulative probability is `p` (0 < p < 1): Wichura's algorithm AS 241
  /// (PPND16), accurate to about 1e-16.
  package static func quantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
    let q = p - 0.5
    if abs(q) <= 0.425 {
      let r = 0.180625 - q * q
      return q * polynomial(r, a) / polynomial(r, b)
    }
    var r = q < 0 ? p : 1 - p
    r = (-log(r)).squareRoot()
    let value: Double
    if r <= 5 {
      r -= 1.6
      value = polynomial(r, c) / polynomial(r, d)
    } else {
      r -= 5
      value = polynomial(r, e) / polynomial(r, f)
    }
    return q < 0 ? -value : value
  }

  /// Σ coefficients[i]·x^i by Horner's rule.
  private static func polynomial(_ x: Double, _ coefficients: [Double]) -> Double {
    coefficients.reversed().reduce(0) { $0 * x + $1 }
  }

  private static let a = [
    3.387_132_872_796_366_608, 133.141_667_891_784_377_2, 1_971.590_950_306_551_442,
    13_731.693_765_509_461_25, 45_921.953_931_549_871_46, 67_265.770_927_008_700_85,
    33_430.575_583_588_128_11, 2_509.080_928_730_122_673,
  ]
  private static let b = [
    1, 42.313_330_701_600_911_25, 687.187_007_492_057_908_3, 5_394.196_021_424_751_077,
    21_213.794_301_586_595_87, 39_307.895_800_092_710_61, 28_729.085_735_721_942_67,
    5_226.495_278_852_545_925,
  ]
  private static let c = [
    1.423_437_110_749_683_577, 4.630_337_846_156_545_296, 5.769_497_221_460_691_405,
    3.647_848_324_763_204_605, 1.270_458_252_452_368_382, 0.241_780_725_177_450_611_8,
    0.022_723_844_989_269_184_83, 7.745_450_142_783_414_076e-4,
  ]
  private static let d = [
    1, 2.053_191_626_637_758_821, 1.676_384_830_183_803_849, 0.689_767_334_985_100_004_5,
    0.148_103_976_427_480_074_6, 0.015_198_666_563_616_457_21, 5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_84e-9,
  ]
  private static let e = [
    6.657_904_643_501_103_77, 5.463_784_911_164_114_37, 1.784_826_539_917_291_336,
    0.296_560_571_828_504_891_2, 0.026_532_189_526_576_123_09, 0.001_242_660_947_388_078_438,
    2.711_555_568_743_487_579e-5, 2.010_334_399_292_288_133e-7,
  ]
  private static let f = [
    1, 0.599_832_206_555_887_937_7, 0.136_929_880_922_735_805_3,
    0.014_875_361_290_850_614_85, 7.868_691_311_456_132_591e-4, 1.846_318_317_510_054_681e-5,
    1.421_511_758_316_445_888e-7, 2.044_263_103_389_939_785e-15,
  ]
}
