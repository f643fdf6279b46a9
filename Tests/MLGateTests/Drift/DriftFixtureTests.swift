import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// Drift between the credit fixtures, computed by mlgate and by `ci/drift_expected.py` (numpy,
/// scipy): a copy of the test data shifted in three columns fails on those columns only, in
/// both paths (KS/χ² with Holm against the 1,000-row test data; normalised Wasserstein and
/// Jensen–Shannon against the 4,000-row training data); resamples of the training data with two
/// seeds, and the test data itself, drift nowhere.
@Suite struct DriftFixtureTests {
  static var pairs: [String: Any] {
    let url = URL(fileURLWithPath: TestEnvironment.path("fixtures/credit/expected-drift.json"))
    let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
    let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return root["pairs"] as? [String: Any] ?? [:]
  }

  func close(_ a: Double?, _ b: Any?, relative: Double = 1e-9) -> Bool {
    guard let a, let b = b as? Double else { return false }
    return abs(a - b) <= max(1e-12, relative * abs(b))
  }

  /// The figures of `reference → current`, computed as a run computes them.
  func figures(_ reference: String, _ current: String) throws -> (DriftFigures, DriftConfig) {
    let text = """
      name: drift
      label: Risk
      data: { reference: \(reference), test: \(current) }
      tests: { drift: {} }
      """
    let suite = try SuiteLoader(environment: { _ in nil }).parse(
      text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/credit"))
    let config = try #require(suite.tests.drift)
    let figures = try DriftFigures.compute(
      config: config, suite: suite, reference: try #require(suite.data.reference),
      current: try #require(suite.data.test))
    return (figures, config)
  }

  @Test(arguments: [
    ("train.csv", "test.csv"), ("train.csv", "drift-shifted.csv"),
    ("train.csv", "drift-resample.csv"), ("train.csv", "drift-resample-seed2.csv"),
    ("test.csv", "drift-shifted.csv"), ("test.csv", "drift-resample.csv"),
  ])
  func everyFeatureAsScipyComputesIt(_ reference: String, _ current: String) throws {
    let key =
      reference.replacingOccurrences(of: ".csv", with: "") + "->"
      + current.replacingOccurrences(of: ".csv", with: "")
    let pair = try #require(Self.pairs[key] as? [String: Any], "\(key)")
    let expected = try #require(pair["features"] as? [String: [String: Any]])
    let (figures, config) = try figures(reference, current)
    #expect(figures.features.count == 20)
    #expect(figures.usesTests == (reference == "test.csv"))
    var failing: [String] = []
    for feature in figures.features {
      let want = try #require(expected[feature.name], "\(feature.name)")
      let label = "\(key) \(feature.name)"
      #expect(feature.kind.rawValue == want["kind"] as? String, "\(label)")
      let psi = want["psi"] as? [String: Any] ?? [:]
      #expect(close(feature.psi, psi["psi"]), "\(label): \(feature.psi)")
      if let test = want["test"] as? [String: Any] {
        let statistic = test["d"] ?? test["chi2"]
        #expect(close(feature.test?.statistic, statistic), "\(label)")
        #expect(close(feature.test?.p, test["p"], relative: 1e-6), "\(label)")
        #expect(close(feature.adjustedP, test["p_holm"], relative: 1e-6), "\(label)")
      }
      if let distance = want["distance"] as? [String: Any] {
        #expect(close(feature.distance?.value, distance["value"]), "\(label)")
      }
      let verdict = DriftVerdict(feature, config)
      let mine = verdict.outcome.rawValue
      #expect(mine == want["verdict"] as? String, "\(label): \(verdict.reasons)")
      if verdict.outcome == .fail { failing.append(feature.name) }
    }
    #expect(Set(failing) == Set(pair["failing"] as? [String] ?? []), "\(key)")
    if current == "drift-shifted.csv" {
      #expect(Set(failing) == ["LoanAmount", "Age", "CheckingStatus"])
    } else {
      #expect(failing.isEmpty, "a healthy pair drifts: \(failing)")
    }
  }

  /// The drift-only example runs with no model and names the three shifted columns.
  @Test func aDriftOnlySuiteRunsWithNoModel() async throws {
    let run = try await ReportCase.run(TestEnvironment.path("fixtures/credit/mlgate-drift.yml"))
    #expect(run.result.status == 1)
    #expect(run.result.stdout.contains("no model"))
    #expect(run.cases.count == 21)
    #expect(run.cases["no drift in the predictions"] == nil, "no model, no prediction case")
    let failed = Set(run.cases.filter { $0.value.failure != nil }.map(\.key))
    #expect(failed == ["no drift in LoanAmount", "no drift in Age", "no drift in CheckingStatus"])
    #expect(
      run.cases["no drift in LoanAmount"]?.failure?.hasSuffix(
        "(train.csv → drift-shifted.csv; median 3357.5 → 4590)") == true)
    #expect(run.cases["fewer than 50% of the features drift"]?.passed == true)
  }
}
