import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// The fairness figures of four fixture models, reported by the mlgate binary, against
/// `ci/fairness_expected.py` (scikit-learn's predictions; Wilson, Newcombe and Katz checked
/// against statsmodels): the model trained on biased labels (`defect-uses-sex.pkl`) fails
/// disparate impact on Sex; the candidate, its seed-1 twin and the production model pass.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled)) struct FairnessFixtureTests {
  static var expected: [String: Any] {
    let url = URL(fileURLWithPath: TestEnvironment.path("fixtures/credit/expected-fairness.json"))
    let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
  }

  static let metrics = [
    "disparate_impact", "statistical_parity_difference", "equal_opportunity_difference",
    "average_odds_difference",
  ]

  /// Runs every metric on Sex and Age for `model` (bounds that only the disparate impact can
  /// miss) and returns the cases by name.
  func run(_ model: String) async throws -> [String: ReportCase] {
    let directory = try TestEnvironment.temporaryDirectory()
    let credit = TestEnvironment.path("fixtures/credit")
    let loose =
      "statistical_parity_difference: [-1, lower], equal_opportunity_difference: [-1, lower], average_odds_difference: [-1, lower]"
    let suite = """
      version: 1
      name: fairness
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: \(credit)/test.csv }
      model: { command: [python3, \(TestEnvironment.path("ci/serve_model.py")), \(credit)/\(model)] }
      tests:
        fairness:
          favourable: [No Risk]
          attributes:
            - { attribute: Sex, monitored: [female], reference: [male], \(loose) }
            - { attribute: Age, monitored: [[19, 25]], reference: [[26, 75]], \(loose) }
      """
    try suite.write(toFile: directory + "/s.yml", atomically: true, encoding: .utf8)
    return try await ReportCase.run(directory + "/s.yml").cases
  }

  @Test(arguments: ["candidate.pkl", "twin-seed1.pkl", "production.pkl", "defect-uses-sex.pkl"])
  func figuresAndVerdictsEqualScikitLearns(_ model: String) async throws {
    let cases = try await run(model)
    #expect(cases.count == 8)
    let models = Self.expected["models"] as? [String: Any] ?? [:]
    let attributes = (models[model] as? [String: Any])?["attributes"] as? [String: Any] ?? [:]
    for (attribute, groups) in [("Sex", "(female vs male)"), ("Age", "(19–25 vs 26–75)")] {
      let figures = attributes[attribute] as? [String: Any] ?? [:]
      for metric in Self.metrics {
        let words = metric.replacingOccurrences(of: "_", with: " ")
        let bound = metric == "disparate_impact" ? "at least 0.8" : "at least -1"
        let name = "\(words) of \(attribute) \(groups) is \(bound)"
        let found = try #require(cases[name], "\(name): \(cases.keys.sorted())")
        let want = try #require(figures[metric] as? [String: Any])
        let value = try #require(want["value"] as? Double)
        var headline = "\(metric)=\(TextFormat.figure(value))"
        if let low = want["ci_low"] as? Double, let high = want["ci_high"] as? Double {
          headline += ", 95% CI [\(TextFormat.figure(low)), \(TextFormat.figure(high))]"
        }
        let text = found.output + found.details
        #expect(text.contains(headline), "\(model) \(name): \(text)")
        let fails = metric == "disparate_impact" && value < 0.8
        #expect((found.failure != nil) == fails, "\(model) \(name)")
      }
    }
    let sex = cases["disparate impact of Sex (female vs male) is at least 0.8"]
    if model == "defect-uses-sex.pkl" {
      #expect(
        sex?.failure
          == "disparate impact of Sex 0.6801 < 0.8, 95% CI [0.6067, 0.7625]: favourable 49.32% of 367 female vs 72.51% of 633 male"
      )
    } else {
      #expect(sex?.passed == true)
    }
  }

  @Test(arguments: [
    ("{ favourable: [No Risk] }", "'fairness' needs 'attributes:'"),
    ("{ attributes: [{ attribute: Sex, monitored: [female] }] }", "'fairness' needs 'favourable:'"),
    (
      "{ favourable: [No Risk], attributes: [{ attribute: Sex }] }",
      "attribute 'Sex' needs 'monitored:'"
    ),
    (
      "{ favourable: [No Risk], attributes: [{ attribute: Age, monitored: [[25, 19]] }] }",
      "a range's low end must not exceed its high end"
    ),
    (
      "{ favourable: [No Risk], attributes: [{ attribute: Sex, monitored: [female], disparate_impakt: 0.8 }] }",
      "did you mean 'disparate_impact'"
    ),
    (
      "{ favourable: [No Risk], attributes: [{ attribute: Sex, monitored: [female], disparate_impact: 0 }] }",
      "disparate impact is a ratio above 0"
    ),
  ])
  func mistakesAreSuiteErrorsAtTheirLine(_ section: String, _ expected: String) {
    let text = """
      version: 1
      name: s
      task: binary-classification
      label: Risk
      data: { test: test.csv }
      model: { command: [python3] }
      tests:
        fairness: \(section)
      """
    #expect {
      _ = try SuiteLoader().parse(
        text: text, file: "s.yml", directory: TestEnvironment.path("fixtures/credit"))
    } throws: { error in
      "\(error)".contains(expected) && "\(error)".hasPrefix("s.yml:8:")
    }
  }
}
