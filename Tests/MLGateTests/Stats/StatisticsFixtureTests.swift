import Foundation
import Testing

@testable import MLGate

/// Every statistic for regression, fairness and drift against statsmodels, scipy and numpy on
/// the cases `ci/stats_expected.py` computed (fixtures/stats/expected.json): the notes' test
/// vectors, ties, tiny samples, zeros, degenerate tables.
@Suite struct StatisticsFixtureTests {
  /// One section of the expected file, read anew (JSON objects are not Sendable).
  static func cases(_ section: String, _ sub: String? = nil) -> [[String: Any]] {
    let url = URL(fileURLWithPath: TestEnvironment.path("fixtures/stats/expected.json"))
    let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
    let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    if let sub { return (root[section] as? [String: Any])?[sub] as? [[String: Any]] ?? [] }
    return root[section] as? [[String: Any]] ?? []
  }

  func close(_ a: Double?, _ b: Any?, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
    guard let b = b as? Double else { return a == nil || a?.isNaN == true }
    guard let a else { return false }
    return abs(a - b) <= max(absolute, relative * abs(b))
  }

  @Test func mcNemarEqualsStatsmodels() {
    let all = Self.cases("mcnemar")
    #expect(all.count >= 6)
    for item in all {
      let name = item["name"] as? String ?? "?"
      let expected = item["expected"] as? [String: Any] ?? [:]
      let test = McNemar(b: item["b"] as? Int ?? 0, c: item["c"] as? Int ?? 0)
      #expect(close(test.twoSided, expected["exact_two_sided_p"]), "\(name)")
      #expect(close(test.candidateWorse, expected["one_sided_p"]), "\(name)")
      if expected["chi2_cc"] is Double {
        #expect(close(test.chiSquared.statistic, expected["chi2_cc"]), "\(name)")
        #expect(close(test.chiSquared.p, expected["chi2_cc_p"], relative: 1e-8), "\(name)")
      }
    }
  }

  @Test func holmAndBenjaminiHochbergEqualStatsmodels() {
    for (section, adjust) in [
      ("holm", MultipleTesting.holm), ("bh", MultipleTesting.benjaminiHochberg),
    ] as [(String, ([Double]) -> [Double])] {
      let all = Self.cases(section)
      #expect(all.count >= 4)
      for item in all {
        let p = item["p"] as? [Double] ?? []
        let expected = (item["expected"] as? [String: Any])?["adjusted"] as? [Double] ?? []
        let mine = adjust(p)
        #expect(mine.count == expected.count)
        for (a, b) in zip(mine, expected) {
          #expect(close(a, b), "\(section) \(item["name"] ?? "")")
        }
      }
    }
  }

  @Test func deLongEqualsTheStructuralComponents() {
    for item in Self.cases("delong") {
      let name = item["name"] as? String ?? "?"
      let expected = item["expected"] as? [String: Any] ?? [:]
      let y = (item["y"] as? [Int] ?? []).map { $0 == 1 }
      let test = DeLong(
        positive: y, first: item["s1"] as? [Double] ?? [], second: item["s2"] as? [Double] ?? [])
      guard let expectedS = expected["S"] as? [[Double]] else {
        #expect(test == nil, "\(name): no covariance with fewer than two of a class")
        continue
      }
      guard let test else {
        Issue.record("\(name): expected figures")
        continue
      }
      #expect(close(test.auc.0, expected["auc1"]), "\(name)")
      #expect(close(test.auc.1, expected["auc2"]), "\(name)")
      for a in 0..<2 {
        for b in 0..<2 { #expect(close(test.covariance[a][b], expectedS[a][b]), "\(name)") }
      }
      // Its z is (baseline − candidate)/se; mlgate's is (second − first)/se.
      #expect(close(test.z.map { -$0 }, expected["z"]), "\(name)")
      #expect(close(test.twoSided, expected["p_two_sided"], relative: 1e-8), "\(name)")
      #expect(close(test.secondWorse, expected["p_one_candidate_worse"], relative: 1e-8), "\(name)")
    }
  }

  @Test func binnedDistancesEqualScipy() {
    for item in Self.cases("psi", "proportions") {
      let name = item["name"] as? String ?? "?"
      let expected = item["expected"] as? [String: Any] ?? [:]
      let p = item["reference"] as? [Double] ?? []
      let q = item["current"] as? [Double] ?? []
      #expect(close(DriftStatistics.psi(expected: p, actual: q), expected["psi"]), "\(name)")
      #expect(close(DriftStatistics.jensenShannon(p, q), expected["js_distance_ln"]), "\(name)")
      #expect(
        close(DriftStatistics.jensenShannon(p, q, base2: true), expected["js_distance_log2"]),
        "\(name)")
      #expect(close(DriftStatistics.lInfinity(p, q), expected["linf"]), "\(name)")
    }
  }

  @Test func decileEdgesEqualNumpy() {
    let all = Self.cases("psi", "deciles")
    #expect(!all.isEmpty)
    for item in all {
      let name = item["name"] as? String ?? "?"
      let expected = item["expected"] as? [String: Any] ?? [:]
      let edges = DriftFigures.decileEdges(item["reference"] as? [Double] ?? [])
      let want = expected["edges"] as? [Double] ?? []
      #expect(edges.count == want.count, "\(name)")
      // Foundation's JSON reader may miss the last bit of a double: 1e-15 relative.
      for (a, b) in zip(edges, want) { #expect(close(a, b, relative: 1e-15), "\(name)") }
    }
  }

  @Test func kolmogorovSmirnovEqualsTheNotesFormula() {
    for item in Self.cases("ks") {
      let name = item["name"] as? String ?? "?"
      let expected = item["expected"] as? [String: Any] ?? [:]
      let ks = DriftStatistics.kolmogorovSmirnov(
        item["reference"] as? [Double] ?? [], item["current"] as? [Double] ?? [])
      #expect(close(ks.d, expected["d"]), "\(name)")
      #expect(close(ks.p, expected["p_notes"], relative: 1e-6, absolute: 1e-9), "\(name)")
    }
  }

  @Test func chiSquaredEqualsScipy() {
    for item in Self.cases("chi2") {
      let name = item["name"] as? String ?? "?"
      let expected = item["expected"] as? [String: Any] ?? [:]
      let test = DriftStatistics.chiSquared(
        reference: (item["reference_counts"] as? [Double]) ?? [],
        current: (item["current_counts"] as? [Double]) ?? [])
      #expect(close(test.statistic, expected["chi2"]), "\(name)")
      #expect(test.degreesOfFreedom == expected["dof"] as? Int, "\(name)")
      #expect(close(test.p, expected["p"], relative: 1e-8), "\(name)")
      if expected["cramers_v"] is Double {
        #expect(close(test.cramersV, expected["cramers_v"]), "\(name)")
      }
    }
  }

  @Test func wassersteinEqualsScipy() {
    for item in Self.cases("wasserstein") {
      let name = item["name"] as? String ?? "?"
      let expected = item["expected"] as? [String: Any] ?? [:]
      let u = item["reference"] as? [Double] ?? []
      let v = item["current"] as? [Double] ?? []
      #expect(close(DriftStatistics.wasserstein(u, v), expected["distance"]), "\(name)")
      #expect(
        close(DriftStatistics.standardDeviation(u), expected["ref_std_ddof0"]), "\(name)")
    }
  }

  @Test func katzIntervalEqualsTheFormula() {
    for item in Self.cases("katz") {
      let name = item["name"] as? String ?? "?"
      let expected = item["expected"] as? [String: Any] ?? [:]
      let z = item["z"] as? Double ?? 1.959963984540054
      let level = 1 - 2 * NormalDistribution.cdf(-z)
      let di = DisparateImpact(
        favourable: item["x1"] as? Int ?? 0, of: item["n1"] as? Int ?? 0,
        referenceFavourable: item["x0"] as? Int ?? 0, of: item["n0"] as? Int ?? 0,
        confidence: level)
      #expect(close(di.ratio, expected["di"]), "\(name)")
      #expect(close(di.parityDifference, expected["spd"]), "\(name)")
      #expect(close(di.interval?.lower, expected["ci_low"], relative: 1e-7), "\(name)")
      #expect(close(di.interval?.upper, expected["ci_high"], relative: 1e-7), "\(name)")
    }
  }
}
