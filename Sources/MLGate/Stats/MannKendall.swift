/// The Mann–Kendall test for a monotonic trend, with Hamed and Rao's variance correction for
/// autocorrelated series (the definitions of pymannkendall's `original_test` and
/// `hamed_rao_modification_test`).
///
/// S = Σ_{k<j} sign(x_j − x_k); Var S corrects for ties; Z = (S ∓ 1)/√Var S (0 when S = 0); the
/// p-value is two-sided. The series is used as given (a loss curve's points in order); O(n²), so
/// callers hand it at most a few hundred points (``LossTrend`` averages blocks beyond that).
package struct MannKendall: Sendable, Equatable {
  /// The number of points.
  package var n: Int
  /// Mann–Kendall's S.
  package var s: Double
  /// The variance of S the test used (corrected for autocorrelation by Hamed–Rao).
  package var variance: Double
  /// The variance of S for independent points (ties corrected).
  package var independentVariance: Double
  /// The standard normal statistic.
  package var z: Double
  /// The two-sided p-value.
  package var p: Double
  /// Kendall's τ = S / (n(n−1)/2).
  package var tau: Double
  /// Hamed–Rao's n/n* (1 for the original test).
  package var varianceInflation: Double

  /// The original test, for independent points.
  package static func original(_ x: [Double]) -> MannKendall {
    let n = x.count
    let s = score(x)
    let variance = tiedVariance(x)
    return make(n: n, s: s, variance: variance, independent: variance, inflation: 1)
  }

  /// Hamed and Rao's test: the variance of S is inflated by n/n*, from the autocorrelations of
  /// the ranks of the series detrended by Sen's slope that are significant at `alpha`.
  package static func hamedRao(_ x: [Double], alpha: Double = 0.05) -> MannKendall {
    let n = x.count
    let s = score(x)
    let independent = tiedVariance(x)
    guard n >= 3 else {
      return make(n: n, s: s, variance: independent, independent: independent, inflation: 1)
    }
    let slope = median(pairwiseSlopes(x))
    let detrended = x.indices.map { x[$0] - Double($0 + 1) * slope }
    let acf = autocorrelation(averageRanks(detrended))
    let bound = NormalDistribution.quantile(1 - alpha / 2) / Double(n).squareRoot()
    var sum = 0.0
    for lag in 1..<n where acf[lag].isFinite && abs(acf[lag]) > bound {
      let m = Double(n - lag)
      sum += m * (m - 1) * (m - 2) * acf[lag]
    }
    let nn = Double(n)
    var inflation = 1 + 2 / (nn * (nn - 1) * (nn - 2)) * sum
    // A negative correction would make the variance meaningless: keep the independent one.
    if !(inflation > 0) { inflation = 1 }
    return make(
      n: n, s: s, variance: independent * inflation, independent: independent,
      inflation: inflation)
  }

  private static func make(
    n: Int, s: Double, variance: Double, independent: Double, inflation: Double
  ) -> MannKendall {
    let z: Double
    if s > 0 {
      z = (s - 1) / variance.squareRoot()
    } else if s < 0 {
      z = (s + 1) / variance.squareRoot()
    } else {
      z = 0
    }
    let p = z.isFinite ? 2 * NormalDistribution.cdf(-abs(z)) : .nan
    let pairs = Double(n) * Double(n - 1) / 2
    return MannKendall(
      n: n, s: s, variance: variance, independentVariance: independent, z: z, p: p,
      tau: pairs > 0 ? s / pairs : .nan, varianceInflation: inflation)
  }

  /// S = Σ_{k<j} sign(x_j − x_k).
  static func score(_ x: [Double]) -> Double {
    var s = 0
    for k in x.indices {
      for j in (k + 1)..<x.count {
        if x[j] > x[k] { s += 1 } else if x[j] < x[k] { s -= 1 }
      }
    }
    return Double(s)
  }

  /// Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over the groups of t tied values.
  static func tiedVariance(_ x: [Double]) -> Double {
    let n = Double(x.count)
    var ties = 0.0
    for t in tieGroups(x) where t > 1 {
      let t = Double(t)
      ties += t * (t - 1) * (2 * t + 5)
    }
    return (n * (n - 1) * (2 * n + 5) - ties) / 18
  }

  /// The sizes of the groups of equal values.
  static func tieGroups(_ x: [Double]) -> [Int] {
    let sorted = x.sorted()
    var groups: [Int] = []
    var index = 0
    while index < sorted.count {
      var end = index + 1
      while end < sorted.count, sorted[end] == sorted[index] { end += 1 }
      groups.append(end - index)
      index = end
    }
    return groups
  }

  /// (x_j − x_i)/(j − i) for every i < j.
  static func pairwiseSlopes(_ x: [Double]) -> [Double] {
    var slopes: [Double] = []
    slopes.reserveCapacity(x.count * (x.count - 1) / 2)
    for i in x.indices {
      for j in (i + 1)..<x.count { slopes.append((x[j] - x[i]) / Double(j - i)) }
    }
    return slopes
  }

  /// 1-based ranks, ties given their average rank.
  static func averageRanks(_ x: [Double]) -> [Double] {
    let order = x.indices.sorted { x[$0] < x[$1] }
    var ranks = [Double](repeating: 0, count: x.count)
    var index = 0
    while index < order.count {
      var end = index + 1
      while end < order.count, x[order[end]] == x[order[index]] { end += 1 }
      let rank = Double(index + end + 1) / 2
      for position in index..<end { ranks[order[position]] = rank }
      index = end
    }
    return ranks
  }

  /// Autocorrelations at lags 0…n−1 (the biased estimator, divided by n at every lag).
  static func autocorrelation(_ x: [Double]) -> [Double] {
    let n = x.count
    let mean = x.reduce(0, +) / Double(n)
    let y = x.map { $0 - mean }
    var acov = [Double](repeating: 0, count: n)
    for lag in 0..<n {
      var sum = 0.0
      for t in 0..<(n - lag) { sum += y[t] * y[t + lag] }
      acov[lag] = sum / Double(n)
    }
    return acov.map { $0 / acov[0] }
  }

  /// The median (the mean of the two middle values for an even count); NaN when empty.
  static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
}

/// Sen's slope with Sen's (1968) confidence interval: the median of the pairwise slopes over
/// distinct x, and the order statistics of the sorted slopes that bracket it (scipy's
/// `theilslopes` with its default separate intercept).
package struct SenSlope: Sendable, Equatable {
  /// The median slope, per unit of x.
  package var slope: Double
  /// The lower end of the interval.
  package var lower: Double
  /// The upper end of the interval.
  package var upper: Double

  /// Fits `y` against `x` (the same count, at least 2 points).
  package static func fit(y: [Double], x: [Double], confidence: Double = 0.95) -> SenSlope {
    var slopes: [Double] = []
    for i in y.indices {
      for j in y.indices where x[j] > x[i] { slopes.append((y[j] - y[i]) / (x[j] - x[i])) }
    }
    guard !slopes.isEmpty else { return SenSlope(slope: .nan, lower: .nan, upper: .nan) }
    slopes.sort()
    let n = Double(y.count)
    var sigma2 = n * (n - 1) * (2 * n + 5)
    for t in MannKendall.tieGroups(x) + MannKendall.tieGroups(y) where t > 1 {
      let t = Double(t)
      sigma2 -= t * (t - 1) * (2 * t + 5)
    }
    let sigma = (sigma2 / 18).squareRoot()
    let z = NormalDistribution.quantile((1 - confidence) / 2)
    let count = Double(slopes.count)
    // numpy rounds half to even.
    let upperIndex = min(Int(((count - z * sigma) / 2).rounded(.toNearestOrEven)), slopes.count - 1)
    let lowerIndex = max(Int(((count + z * sigma) / 2).rounded(.toNearestOrEven)) - 1, 0)
    return SenSlope(
      slope: MannKendall.median(slopes), lower: slopes[max(0, min(lowerIndex, slopes.count - 1))],
      upper: slopes[max(0, upperIndex)])
  }
}
