import Foundation
import PropertyBased
import Testing

@testable import MLGate

/// Mann–Kendall (original and Hamed–Rao) and Sen's slope against pymannkendall 1.4.3 and
/// scipy's `theilslopes`, on the edge cases `ci/convergence_expected.py` computed (ties, n = 4,
/// all equal, strong autocorrelation), plus properties no implementation may break.
@Suite struct ConvergenceStatisticsTests {
  /// `fixtures/histories/expected.json`, read anew by each test (JSON objects are not Sendable).
  static var expected: [String: Any] {
    let url = URL(fileURLWithPath: TestEnvironment.path("fixtures/histories/expected.json"))
    let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
  }

  static var cases: [[String: Any]] { expected["mk_cases"] as? [[String: Any]] ?? [] }

  static func close(_ a: Double, _ b: Double?, relative: Double = 1e-9, absolute: Double = 1e-12)
    -> Bool
  {
    guard let b else { return false }
    return abs(a - b) <= max(absolute, relative * abs(b))
  }

  /// The test vector of shared/notes/statistics.md §7.
  @Test func theNotesTestVector() {
    let x = [2.30, 1.95, 1.80, 1.62, 1.70, 1.41, 1.38, 1.35, 1.22, 1.25, 1.18, 1.10]
    let test = MannKendall.original(x)
    #expect(test.s == -62)
    #expect(abs(test.variance - 212.667) < 1e-3)
    #expect(abs(test.z - -4.182925) < 1e-6)
    #expect(abs(test.p - 2.878e-5) < 1e-8)
    #expect(abs(test.tau - -0.939394) < 1e-6)
    let slope = SenSlope.fit(y: x, x: x.indices.map(Double.init))
    #expect(abs(slope.slope - -0.085278) < 1e-6)
  }

  @Test func theEdgeCasesAreThere() {
    #expect(ConvergenceStatisticsTests.cases.count >= 10)
  }

  @Test func mannKendallMatchesPymannkendall() throws {
    for item in ConvergenceStatisticsTests.cases {
      let name = item["name"] as? String ?? "?"
      let values = try #require(item["values"] as? [Double], "\(name)")
      let original = try #require(item["original"] as? [String: Any])
      let mine = MannKendall.original(values)
      #expect(mine.s == original["s"] as? Double, "\(name)")
      #expect(Self.close(mine.variance, original["var_s"] as? Double), "\(name)")
      #expect(Self.close(mine.z, original["z"] as? Double ?? 0), "\(name)")
      // pymannkendall's 2(1 − Φ(|z|)) rounds to 0 far out; 2Φ(−|z|) does not.
      #expect(Self.close(mine.p, original["p"] as? Double, absolute: 1e-12), "\(name)")
      #expect(Self.close(mine.tau, original["tau"] as? Double), "\(name)")
      let hamedRao = try #require(item["hamed_rao"] as? [String: Any])
      let corrected = MannKendall.hamedRao(values)
      if let variance = hamedRao["var_s"] as? Double, variance > 0 {
        #expect(Self.close(corrected.variance, variance, relative: 1e-9), "\(name)")
        #expect(Self.close(corrected.z, hamedRao["z"] as? Double ?? 0), "\(name)")
      } else if corrected.s != 0 {
        // pymannkendall gives NaN (a constant detrended series) or a negative variance; mlgate
        // keeps the independent variance rather than report no test at all.
        #expect(corrected.variance == mine.variance, "\(name)")
      }
    }
  }

  @Test func senSlopeMatchesScipyTheilslopes() throws {
    for item in ConvergenceStatisticsTests.cases {
      let name = item["name"] as? String ?? "?"
      let values = try #require(item["values"] as? [Double])
      guard let theil = item["theilslopes"] as? [String: Any] else { continue }
      let fit = SenSlope.fit(y: values, x: values.indices.map(Double.init))
      #expect(Self.close(fit.slope, theil["slope"] as? Double), "\(name)")
      #expect(Self.close(fit.lower, theil["low"] as? Double), "\(name)")
      #expect(Self.close(fit.upper, theil["high"] as? Double), "\(name)")
    }
  }

  @Test func reversingASeriesNegatesItsTrend() async {
    await propertyCheck(count: 200, input: Gen.double(in: -5...5).array(of: 3...60)) { values in
      let forward = MannKendall.original(values)
      let backward = MannKendall.original(values.reversed())
      #expect(forward.s == -backward.s)
      #expect(forward.variance == backward.variance)
      #expect(forward.p >= 0 && forward.p <= 1)
      #expect(abs(forward.tau) <= 1)
    }
  }

  @Test func aMonotoneTransformChangesNothing() async {
    await propertyCheck(count: 200, input: Gen.double(in: 0.01...5).array(of: 3...60)) { values in
      let raw = MannKendall.original(values)
      let logged = MannKendall.original(values.map { log($0) * 3 + 1 })
      #expect(raw.s == logged.s)
      #expect(raw.z == logged.z)
    }
  }

  @Test func theSlopeIntervalHoldsTheSlope() async {
    await propertyCheck(count: 200, input: Gen.double(in: -5...5).array(of: 3...50)) { values in
      let fit = SenSlope.fit(y: values, x: values.indices.map(Double.init))
      #expect(fit.lower <= fit.slope && fit.slope <= fit.upper)
    }
  }

  @Test func aStrictlyFallingSeriesIsASignificantDecrease() async {
    await propertyCheck(count: 100, input: Gen.double(in: 0.001...1).array(of: 12...80)) { steps in
      var value = 100.0
      let series = steps.map { step -> Double in
        value -= step
        return value
      }
      let test = MannKendall.hamedRao(series)
      #expect(test.z < 0 && test.p < 0.05)
    }
  }
}
