import Foundation
import Testing

@testable import MLGate

/// The paired bootstrap of candidate − production against scipy's (`ci/paired_bootstrap_expected.py`).
struct PairedBootstrapTests {
  static func expected() throws -> [String: [String: Any]] {
    let url = URL(fileURLWithPath: TestEnvironment.path("fixtures/credit/expected-paired.json"))
    let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    return try #require(root?["overall"] as? [String: [String: Any]])
  }

  @Test func intervalsAreCloseToScipysPairedBootstrap() throws {
    let candidate = MetricEngine(try MetricEngineTests.load("credit").evaluation)
    let production = MetricEngine(
      try MetricEngineTests.load("credit/expected-production").evaluation)
    let expected = try Self.expected()
    let metrics = try expected.keys.sorted().map { try #require(Metric.named($0)) }
    #expect(metrics.count == 7)
    let differences = PairedBootstrap(resamples: 2000, seed: 7, stream: "test")
      .differences(metrics, candidate: candidate, baseline: production)
    for metric in metrics {
      let want = try #require(expected[metric.rawValue])
      let delta = try #require(want["delta"] as? Double)
      let interval = try #require(want["interval"] as? [Double])
      #expect(abs(candidate.value(metric) - production.value(metric) - delta) <= 1e-9)
      let ours = try #require(differences[metric])
      #expect(ours.count == 2000)
      let lower = Quantile.linear(ours, 0.025)
      let upper = Quantile.linear(ours, 0.975)
      let width = interval[1] - interval[0]
      // Monte Carlo (2 000 against 9 999 draws) and stratification (ours is by class, scipy's
      // is not): each end within 15 % of the interval's width.
      #expect(
        abs(lower - interval[0]) <= 0.15 * width,
        "\(metric.rawValue) lower \(lower) vs \(interval[0])")
      #expect(
        abs(upper - interval[1]) <= 0.15 * width,
        "\(metric.rawValue) upper \(upper) vs \(interval[1])")
    }
  }

  @Test func theSameModelTwiceDiffersByNothingAndTheSeedDecides() throws {
    let candidate = MetricEngine(try MetricEngineTests.load("credit").evaluation)
    let production = MetricEngine(
      try MetricEngineTests.load("credit/expected-production").evaluation)
    let metrics: [Metric] = [.f1Measure, .logLoss, .areaUnderPR]
    let same = PairedBootstrap(resamples: 400, seed: 1, stream: "s")
      .differences(metrics, candidate: candidate, baseline: candidate)
    for metric in metrics { #expect(same[metric]?.allSatisfy { $0 == 0 } == true) }
    let a = PairedBootstrap(resamples: 400, seed: 1, stream: "s")
      .differences(metrics, candidate: candidate, baseline: production)
    let b = PairedBootstrap(resamples: 400, seed: 1, stream: "s")
      .differences(metrics, candidate: candidate, baseline: production)
    let c = PairedBootstrap(resamples: 400, seed: 2, stream: "s")
      .differences(metrics, candidate: candidate, baseline: production)
    #expect(a[.logLoss] == b[.logLoss])
    #expect(a[.logLoss] != c[.logLoss])
  }
}
