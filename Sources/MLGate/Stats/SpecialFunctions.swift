import Foundation

/// The distributions the tests need beyond the normal: binomial tails, χ² (through the
/// regularised incomplete gamma function), and the Kolmogorov distribution.
package enum SpecialFunctions {
  /// log C(n, k).
  static func logChoose(_ n: Int, _ k: Int) -> Double {
    lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
  }

  /// P(X ≤ k) for X ~ Binomial(n, ½), summed in log space (exact for any n a run sees).
  package static func binomialHalfCDF(_ k: Int, n: Int) -> Double {
    guard k >= 0 else { return 0 }
    guard k < n else { return 1 }
    let logHalf = Double(n) * log(0.5)
    var terms: [Double] = []
    terms.reserveCapacity(k + 1)
    for i in 0...k { terms.append(logChoose(n, i) + logHalf) }
    let top = terms.max() ?? 0
    let sum = terms.reduce(0) { $0 + exp($1 - top) }
    return min(1, exp(top + log(sum)))
  }

  /// Q(a, x) = Γ(a, x)/Γ(a), the regularised upper incomplete gamma function.
  package static func upperGamma(_ a: Double, _ x: Double) -> Double {
    guard x > 0 else { return 1 }
    guard a > 0 else { return 0 }
    if x < a + 1 {
      // The series for P(a, x).
      var term = 1 / a
      var sum = term
      var n = a
      for _ in 0..<10_000 {
        n += 1
        term *= x / n
        sum += term
        if abs(term) < abs(sum) * 1e-16 { break }
      }
      return max(0, 1 - sum * exp(-x + a * log(x) - lgamma(a)))
    }
    // Lentz's continued fraction for Q(a, x).
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for i in 1..<10_000 {
      let an = -Double(i) * (Double(i) - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return exp(-x + a * log(x) - lgamma(a)) * h
  }

  /// P(χ²_df > x).
  package static func chiSquaredSurvival(_ x: Double, degreesOfFreedom df: Int) -> Double {
    upperGamma(Double(df) / 2, x / 2)
  }

  /// Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}: the Kolmogorov survival function.
  package static func kolmogorovSurvival(_ lambda: Double) -> Double {
    guard lambda > 0.2 else { return 1 }
    var sum = 0.0
    var sign = 1.0
    for k in 1...200 {
      let term = sign * exp(-2 * Double(k * k) * lambda * lambda)
      sum += term
      if abs(term) < 1e-17 { break }
      sign = -sign
    }
    return min(1, max(0, 2 * sum))
  }
}
