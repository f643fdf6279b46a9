import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// The candidate against production per slice, reported by the mlgate binary, against
/// `ci/regression_expected.py` (scipy, statsmodels, scikit-learn): `defect-slice.pkl` —
/// better than production overall, retrained on labels corrupted in one segment — fails on
/// `CheckingStatus=less_0` only; the candidate and its seed-1 twin pass every slice; small
/// slices are inconclusive.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled)) struct RegressionFixtureTests {
  static var pairs: [String: Any] {
    let url = URL(fileURLWithPath: TestEnvironment.path("fixtures/credit/expected-regression.json"))
    let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
    let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return root["pairs"] as? [String: Any] ?? [:]
  }

  func run(_ model: String) async throws -> [String: ReportCase] {
    let directory = try TestEnvironment.temporaryDirectory()
    let credit = TestEnvironment.path("fixtures/credit")
    let serve = TestEnvironment.path("ci/serve_model.py")
    let bins = "{ column: Age, bins: [19, 25, 40, 60, 75] }"
    let suite = """
      version: 1
      name: regression
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: \(credit)/test.csv }
      model: { command: [python3, \(serve), \(credit)/\(model)] }
      baseline: { command: [python3, \(serve), \(credit)/production.pkl] }
      tests:
        regression:
          slices: [Sex, CheckingStatus, \(bins), { cross: [Sex, \(bins)] }]
          max_negative_flip_rate: 0.1
      """
    try suite.write(toFile: directory + "/s.yml", atomically: true, encoding: .utf8)
    return try await ReportCase.run(directory + "/s.yml").cases
  }

  @Test(arguments: ["candidate.pkl", "twin-seed1.pkl", "defect-slice.pkl"])
  func everySliceAsScipyJudgesIt(_ model: String) async throws {
    let cases = try await run(model)
    let pair = try #require(Self.pairs[model] as? [String: Any])
    let slices = try #require(pair["slices"] as? [[String: Any]])
    #expect(cases.count == slices.count * 2 + 1)
    var failing: [String] = []
    for slice in slices {
      let name = try #require(slice["name"] as? String)
      let metrics = slice["metrics"] as? [String: [String: Any]] ?? [:]
      for metric in ["accuracy", "area_under_roc"] {
        let title = "\(metric) does not drop \(name == "overall" ? "overall" : "in \(name)")"
        let found = try #require(cases[title], "\(title): \(cases.keys.sorted())")
        guard slice["conclusive"] as? Bool == true else {
          #expect(found.skipped != nil, "\(model) \(title) is inconclusive")
          continue
        }
        let want = try #require(metrics[metric])
        let text = found.output
        let baseline = try #require(want["baseline"] as? Double)
        let candidate = try #require(want["candidate"] as? Double)
        #expect(
          text.contains(
            "baseline \(TextFormat.figure(baseline)), candidate \(TextFormat.figure(candidate))"),
          "\(model) \(title): \(text)")
        let p = try #require(want["p"] as? Double)
        let adjusted = try #require(want["adjusted_p"] as? Double)
        #expect(
          text.contains(
            "worse \(TextFormat.significant(p)), Holm-adjusted over 26 comparisons \(TextFormat.significant(adjusted))"
          ), "\(model) \(title): \(text)")
        if let b = want["b"] as? Int, let c = want["c"] as? Int {
          #expect(text.contains("b \(b) (baseline right, candidate wrong), c \(c)"), "\(title)")
        }
        if found.failure != nil { failing.append("\(name) \(metric)") }
        #expect(
          (found.failure != nil) == (want["verdict"] as? String == "fail"), "\(model) \(title)")
      }
    }
    let expected = (pair["failing"] as? [[String: String]] ?? []).map {
      "\($0["slice"] ?? "") \($0["metric"] ?? "")"
    }
    #expect(Set(failing) == Set(expected), "\(model)")
    if model == "defect-slice.pkl" {
      #expect(failing == ["CheckingStatus=less_0 area_under_roc"])
    } else {
      #expect(failing.isEmpty)
    }
    let churn = try #require(pair["churn"] as? [String: Any])
    let upper = try #require(churn["nfr_upper"] as? Double)
    #expect(
      cases["negative flip rate is at most 0.1"]?.output.contains(
        "one-sided 95% upper bound \(TextFormat.figure(upper))") == true)
  }

  @Test(arguments: [
    ("{ metrics: [mae] }", "cannot compare 'mae' on a binary-classification task"),
    ("{ metrics: [f1_mesure] }", "did you mean 'f1_measure'?"),
    ("{ slices: [{ column: Age, bins: [40, 19] }] }", "'bins' are at least two increasing edges"),
    ("{ slices: [{ cross: [Sex] }] }", "a cross combines exactly two slicings"),
    ("{ slices: [Sx] }", "did you mean 'Sex'?"),
    ("{ max_drop: 2 }", "'max_drop' must be between 0 and 1, found 2"),
  ])
  func mistakesAreSuiteErrorsAtTheirLine(_ section: String, _ expected: String) {
    let text = """
      version: 1
      name: s
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: test.csv }
      model: { command: [python3] }
      baseline: { command: [python3] }
      tests:
        regression: \(section)
      """
    #expect {
      _ = try SuiteLoader().parse(
        text: text, file: "s.yml", directory: TestEnvironment.path("fixtures/credit"))
    } throws: { error in
      "\(error)".contains(expected) && "\(error)".hasPrefix("s.yml:10:")
    }
  }
}
