import Foundation
import Testing

@testable import MLGate

/// The latency percentiles of the HDR histogram against the exact order statistics numpy sorts
/// (the smallest value with at least p % of the values at or below it — numpy's `inverted_cdf`,
/// whose own p·n rounds 99.9 % of 5000 up to 4995.000000000001), within the histogram's three
/// significant digits.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled)) struct LatencyFiguresTests {
  @Test func percentilesEqualNumpysWithinThreeDigits() async throws {
    var random = SeededRandom(seed: 7, stream: "latency")
    // Log-normal latencies around 20 ms with a long tail, in microseconds.
    let values: [UInt64] = (0..<5000).map { _ in
      let u1 = max(Double.random(in: 0..<1, using: &random), 1e-12)
      let u2 = Double.random(in: 0..<1, using: &random)
      let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
      return UInt64((20_000 * exp(0.6 * normal)).rounded())
    }
    var figures = LatencyFigures()
    for value in values { figures.record(micros: value) }
    let directory = try TestEnvironment.temporaryDirectory()
    try values.map(String.init).joined(separator: "\n").write(
      toFile: directory + "/v.txt", atomically: true, encoding: .utf8)
    let script =
      "import math, numpy as np, sys; v = np.sort(np.loadtxt(sys.argv[1])); print(' '.join(repr(float(v[math.ceil(round(p * len(v) / 100, 9)) - 1])) for p in (50, 90, 95, 99, 99.9)))"
    let python = try #require(TestEnvironment.python)
    let result = try await runProgram(python, ["-c", script, directory + "/v.txt"])
    let exact = result.stdout.split(separator: " ").compactMap {
      Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    #expect(exact.count == 5, "\(result.stderr)")
    for (percentile, value) in zip([50.0, 90, 95, 99, 99.9], exact) {
      let mine = figures.percentile(percentile) * 1000
      #expect(abs(mine - value) <= 0.001 * value + 1, "p\(percentile): \(mine) vs numpy \(value)")
    }
  }
}
