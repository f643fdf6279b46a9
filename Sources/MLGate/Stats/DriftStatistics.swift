import Foundation

/// Distances and tests between a reference and a current distribution of one feature (the
/// notes §5): PSI, Jensen–Shannon, L∞ on binned proportions; the two-sample Kolmogorov–Smirnov
/// test and the 1-D Wasserstein distance on values; the χ² homogeneity test on category counts.
package enum DriftStatistics {
  /// The floor of a bin's share in PSI (an empty bin would give an infinite term).
  package static let psiFloor = 1e-4

  /// PSI = Σ (a − e) ln(a / e) over bins, shares floored at 1e-4 and not renormalised.
  package static func psi(expected: [Double], actual: [Double]) -> Double {
    var sum = 0.0
    for (e, a) in zip(expected, actual) {
      let e = max(e, psiFloor)
      let a = max(a, psiFloor)
      sum += (a - e) * log(a / e)
    }
    return sum
  }

  /// The Jensen–Shannon distance (the square root of the divergence) between two
  /// distributions, each normalised to sum 1; natural log (range 0…√ln 2), or base 2 (0…1).
  package static func jensenShannon(_ p: [Double], _ q: [Double], base2: Bool = false) -> Double {
    let sp = p.reduce(0, +)
    let sq = q.reduce(0, +)
    guard sp > 0, sq > 0 else { return .nan }
    var divergence = 0.0
    for (x, y) in zip(p, q) {
      let a = x / sp
      let b = y / sq
      let m = (a + b) / 2
      if a > 0 { divergence += 0.5 * a * log(a / m) }
      if b > 0 { divergence += 0.5 * b * log(b / m) }
    }
    if base2 { divergence /= log(2) }
    return max(0, divergence).squareRoot()
  }

  /// max |p − q|.
  package static func lInfinity(_ p: [Double], _ q: [Double]) -> Double {
    zip(p, q).map { abs($0 - $1) }.max() ?? 0
  }

  /// The two-sample Kolmogorov–Smirnov statistic D = sup |F_ref − F_cur| and its asymptotic
  /// p-value Q_KS((√nₑ + 0.12 + 0.11/√nₑ) D), nₑ = nm/(n + m) (Numerical Recipes).
  package static func kolmogorovSmirnov(_ reference: [Double], _ current: [Double]) -> (
    d: Double, p: Double
  ) {
    let x = reference.sorted()
    let y = current.sorted()
    guard !x.isEmpty, !y.isEmpty else { return (.nan, .nan) }
    let n = Double(x.count)
    let m = Double(y.count)
    var i = 0
    var j = 0
    var d = 0.0
    while i < x.count, j < y.count {
      let value = min(x[i], y[j])
      while i < x.count, x[i] <= value { i += 1 }
      while j < y.count, y[j] <= value { j += 1 }
      d = max(d, abs(Double(i) / n - Double(j) / m))
    }
    let effective = n * m / (n + m)
    let root = effective.squareRoot()
    return (d, SpecialFunctions.kolmogorovSurvival((root + 0.12 + 0.11 / root) * d))
  }

  /// The 1-D Wasserstein (earth mover's) distance between two samples: ∫ |F_u − F_v|.
  package static func wasserstein(_ u: [Double], _ v: [Double]) -> Double {
    let a = u.sorted()
    let b = v.sorted()
    guard !a.isEmpty, !b.isEmpty else { return .nan }
    let all = (a + b).sorted()
    var i = 0
    var j = 0
    var distance = 0.0
    for k in 0..<(all.count - 1) {
      while i < a.count, a[i] <= all[k] { i += 1 }
      while j < b.count, b[j] <= all[k] { j += 1 }
      let width = all[k + 1] - all[k]
      if width > 0 {
        distance += abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)) * width
      }
    }
    return distance
  }

  /// The population standard deviation (ddof 0).
  package static func standardDeviation(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let mean = values.reduce(0, +) / Double(values.count)
    let sum = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (sum / Double(values.count)).squareRoot()
  }

  /// Pearson's χ² test of homogeneity on a 2 × k table of counts (reference, current).
  ///
  /// No continuity correction; categories absent from both are dropped. Cramér's V = √(χ²/N).
  package static func chiSquared(reference: [Double], current: [Double]) -> (
    statistic: Double, degreesOfFreedom: Int, p: Double, cramersV: Double
  ) {
    let columns = zip(reference, current).filter { $0 + $1 > 0 }
    let r = columns.reduce(0) { $0 + $1.0 }
    let c = columns.reduce(0) { $0 + $1.1 }
    let total = r + c
    guard columns.count > 1, r > 0, c > 0 else { return (0, 0, 1, 0) }
    var statistic = 0.0
    for (a, b) in columns {
      let column = a + b
      let ea = r * column / total
      let eb = c * column / total
      statistic += (a - ea) * (a - ea) / ea + (b - eb) * (b - eb) / eb
    }
    let df = columns.count - 1
    return (
      statistic, df, SpecialFunctions.chiSquaredSurvival(statistic, degreesOfFreedom: df),
      (statistic / total).squareRoot()
    )
  }
}

/// Disparate impact between a monitored and a reference group, with Katz's log interval
/// (the notes §4, IBM OpenScale's fairness monitor).
package struct DisparateImpact: Sendable, Equatable {
  /// The favourable-outcome rate of the monitored group.
  package var monitored: Double
  /// The favourable-outcome rate of the reference group.
  package var reference: Double
  /// monitored / reference.
  package var ratio: Double
  /// Katz's interval for the ratio; nil when a rate is 0.
  package var interval: (lower: Double, upper: Double)?
  /// monitored − reference.
  package var parityDifference: Double { monitored - reference }

  /// From favourable counts and group sizes.
  package init(
    favourable x1: Int, of n1: Int, referenceFavourable x0: Int, of n0: Int,
    confidence: Double = 0.95
  ) {
    monitored = n1 > 0 ? Double(x1) / Double(n1) : .nan
    reference = n0 > 0 ? Double(x0) / Double(n0) : .nan
    ratio = reference > 0 ? monitored / reference : .nan
    if x1 > 0, x0 > 0, n1 > 0, n0 > 0 {
      let z = NormalDistribution.quantile(1 - (1 - confidence) / 2)
      let se =
        ((1 - monitored) / (Double(n1) * monitored)
        + (1 - reference) / (Double(n0) * reference)).squareRoot()
      interval = (exp(log(ratio) - z * se), exp(log(ratio) + z * se))
    } else {
      interval = nil
    }
  }

  package static func == (lhs: DisparateImpact, rhs: DisparateImpact) -> Bool {
    lhs.monitored == rhs.monitored && lhs.reference == rhs.reference
  }
}
