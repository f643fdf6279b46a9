/// A seedable xoshiro256** generator: every random choice in mlgate comes from one of these.
///
/// `SystemRandomNumberGenerator` cannot be seeded, so runs would not repeat. The state is
/// initialised from the seed through SplitMix64, as the xoshiro authors recommend.
package struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  /// Creates a generator from a seed and an optional stream name, such as a check's name.
  ///
  /// Different names give independent streams from the same suite seed, so adding a check does
  /// not change the random draws of another.
  package init(seed: UInt64, stream: String = "") {
    var mix = seed ^ SeededRandom.fnv1a(stream)
    func next() -> UInt64 {
      mix &+= 0x9E37_79B9_7F4A_7C15
      var z = mix
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (next(), next(), next(), next())
  }

  /// The FNV-1a hash of a string: stable across runs and platforms, unlike `Hasher`.
  package static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }

  package mutating func next() -> UInt64 {
    let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = (state.3 << 45) | (state.3 >> 19)
    return result
  }

  /// A uniform integer in `0..<bound` without modulo bias (Lemire's method).
  package mutating func below(_ bound: Int) -> Int {
    precondition(bound > 0)
    let range = UInt64(bound)
    var product = next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold { product = next().multipliedFullWidth(by: range) }
    }
    return Int(product.high)
  }
}
