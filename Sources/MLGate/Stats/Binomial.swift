#if canImport(Glibc)
  import Glibc
#endif

/// Exact binomial and multinomial draws from a seeded generator.
///
/// A stratified bootstrap of a confusion matrix is a multinomial draw per true class over its
/// predicted classes: the same distribution as drawing the class's rows one by one, at a cost
/// independent of the number of rows. Binomials with a mean below 10 are drawn by inversion;
/// larger ones by Hörmann's BTRS, transformed rejection with squeeze ("The generation of binomial
/// random variates", J. Statist. Comput. Simul. 46, 1993), as TensorFlow and JAX draw them.
enum Binomial {
  /// A draw from Binomial(`trials`, `probability`).
  static func sample(trials: Int, probability: Double, using random: inout SeededRandom) -> Int {
    guard trials > 0, probability > 0 else { return 0 }
    guard probability < 1 else { return trials }
    if probability > 0.5 {
      return trials - sample(trials: trials, probability: 1 - probability, using: &random)
    }
    if Double(trials) * probability < 10 {
      return inversion(trials: trials, probability: probability, using: &random)
    }
    return transformedRejection(trials: trials, probability: probability, using: &random)
  }

  /// Walks the distribution function from 0 (expected steps: the mean, under 10 here).
  private static func inversion(
    trials n: Int, probability p: Double, using random: inout SeededRandom
  )
    -> Int
  {
    let q = 1 - p
    let ratio = p / q
    let scale = Double(n + 1) * ratio
    while true {
      var mass = pow(q, Double(n))
      var u = random.unit()
      var k = 0
      while u > mass {
        u -= mass
        k += 1
        guard k <= n else { break }
        mass *= scale / Double(k) - ratio
      }
      if k <= n { return k }
      // Rounding left u above the total mass: draw again.
    }
  }

  /// BTRS for a mean of 10 or more and p ≤ ½.
  private static func transformedRejection(
    trials n: Int, probability p: Double, using random: inout SeededRandom
  ) -> Int {
    let count = Double(n)
    let spread = (count * p * (1 - p)).squareRoot()
    let b = 1.15 + 2.53 * spread
    let a = -0.0873 + 0.0248 * b + 0.01 * p
    let c = count * p + 0.5
    let acceptance = 0.92 - 4.2 / b
    let ratio = p / (1 - p)
    let alpha = (2.83 + 5.1 / b) * spread
    let mode = ((count + 1) * p).rounded(.down)
    while true {
      let u = random.unit() - 0.5
      var v = random.unit()
      let us = 0.5 - abs(u)
      let k = ((2 * a / us + b) * u + c).rounded(.down)
      if us >= 0.07 && v <= acceptance { return Int(k) }
      if k < 0 || k > count { continue }
      v = log(v * alpha / (a / (us * us) + b))
      let bound =
        (mode + 0.5) * log((mode + 1) / (ratio * (count - mode + 1)))
        + (count + 1) * log((count - mode + 1) / (count - k + 1))
        + (k + 0.5) * log(ratio * (count - k + 1) / (k + 1))
        + stirlingTail(mode) + stirlingTail(count - mode) - stirlingTail(k)
        - stirlingTail(count - k)
      if v <= bound { return Int(k) }
    }
  }

  /// log(k!) − [(k + ½) log(k + 1) − (k + 1) + ½ log 2π]: the error of Stirling's formula.
  static func stirlingTail(_ k: Double) -> Double {
    let table = [
      0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509,
      0.01664469118982119, 0.01387612882307075, 0.01189670994589177, 0.01041126526197209,
      0.009255462182712733, 0.008330563433362871,
    ]
    if k <= 9 { return table[Int(k)] }
    let next = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / next) / next) / (k + 1)
  }
}

/// Multinomial draws as a chain of conditional binomials.
enum Multinomial {
  /// Distributes `trials` over cells with the given non-negative weights; adds to `into`.
  static func sample(
    trials: Int, weights: [Double], into counts: inout [Double], offset: Int = 0,
    using random: inout SeededRandom
  ) {
    var remaining = trials
    var mass = weights.reduce(0, +)
    for (cell, weight) in weights.enumerated() {
      guard remaining > 0, mass > 0 else { return }
      let drawn =
        cell == weights.count - 1 || weight >= mass
        ? remaining
        : Binomial.sample(trials: remaining, probability: weight / mass, using: &random)
      counts[offset + cell] += Double(drawn)
      remaining -= drawn
      mass -= weight
    }
  }
}

extension SeededRandom {
  /// A uniform double in [0, 1) with 53 random bits.
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
