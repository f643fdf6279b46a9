import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// `tests: behavioural:` as the loader reads it: every column and value is checked against the
/// features (the schema's when the suite has one) before any model is asked, and mistakes name
/// their line.
@Suite struct BehaviouralConfigTests {
  static let header = """
    name: behavioural
    seed: 7
    task: binary-classification
    label: Risk
    positive: Risk
    data: { reference: train.csv, test: test.csv }
    model: { command: [never-started] }
    tests:

    """

  func load(_ tests: String, directory: String = TestEnvironment.path("fixtures/credit"))
    throws -> Suite
  {
    try SuiteLoader(environment: { _ in nil }).parse(
      text: Self.header + tests, file: "inline.yml", directory: directory)
  }

  func error(_ tests: String, directory: String = TestEnvironment.path("fixtures/credit"))
    -> String
  {
    do {
      _ = try load(tests, directory: directory)
      return "loaded"
    } catch {
      return "\(error)"
    }
  }

  @Test func theThreeKindsLoadWithTheirDefaults() throws {
    let suite = try load(
      """
        behavioural:
          invariance:
            - name: sex does not matter
              perturb: { swap: { Sex: [male, female] } }
          directionality:
            - name: longer loans are not safer
              perturb: [{ scale: { LoanDuration: 1.5 } }, { shift: { Age: 1 } }]
              expect: not_decreasing
          minimum_functionality:
            - name: inline cases
              expect: { not: Risk }
              cases:
                - { CheckingStatus: no_checking, LoanDuration: 6, CreditHistory: all_credits_paid_back, LoanPurpose: car_new, LoanAmount: 500, ExistingSavings: greater_1000, EmploymentDuration: greater_7, InstallmentPercent: 1, Sex: female, OthersOnLoan: none, CurrentResidenceDuration: 2, OwnsProperty: real_estate, Age: 40, InstallmentPlans: none, Housing: own, ExistingCreditsCount: 1, Job: skilled, Dependents: 1, Telephone: "yes", ForeignWorker: "no" }
      """)
    let config = try #require(suite.tests.behavioural)
    #expect(config.tests.map(\.kind) == [.invariance, .directionality, .minimumFunctionality])
    #expect(config.space.names.count == 20 && !config.space.names.contains("Risk"))
    let age = try #require(config.space.feature("Age"))
    #expect(age.type == .integer && age.min == 19 && age.max == 74)
    let invariance = config.tests[0]
    #expect(invariance.expectation == .invariant(tolerance: nil))
    #expect(invariance.maxFailureRate == 0 && invariance.minRows == 20)
    if case .data(.test, let sample) = invariance.rows {
      #expect(sample == BehaviouralConfigParser.defaultSample)
    } else {
      Issue.record("rows: \(invariance.rows)")
    }
    #expect(
      config.tests[1].expectation == .direction(.notDecreasing, className: "Risk", tolerance: 0))
    #expect(config.tests[1].perturbation?.steps.count == 2)
    guard case .cases(let cases) = config.tests[2].rows else {
      Issue.record("no cases")
      return
    }
    #expect(cases.rows.count == 1 && cases.rows[0][1] == .number(6))
    #expect(Runner.checks(of: suite).map(\.name).first == "INV: sex does not matter")
  }

  @Test(
    "mistakes are suite errors at their line",
    arguments: [
      (
        "invariance: [{ name: a, perturb: { swap: { sex: [male, female] } } }]",
        "inline.yml:10:", "'sex' is not a feature of the data (train.csv) — did you mean 'Sex'?"
      ),
      (
        "invariance: [{ name: a, perturb: { swap: { Sex: [mal, female] } } }]",
        "inline.yml:10:", "'mal' is not a value of 'Sex' — did you mean 'male'?"
      ),
      (
        "invariance: [{ name: a, perturb: { scale: { Sex: 2 } } }]",
        "inline.yml:10:", "'scale' changes numbers; 'Sex' is categorical"
      ),
      (
        "invariance: [{ name: a, perturb: { set: { Age: 200 } } }]",
        "inline.yml:10:", "200 is above the largest 'Age' allowed, 74"
      ),
      (
        "invariance: [{ name: a, perturb: { set: { Age: old } } }]",
        "inline.yml:10:", "'Age' holds integer values, found 'old'"
      ),
      (
        "invariance: [{ name: a, perturb: { typo: Sex } }]",
        "inline.yml:10:", "'typo' changes free text; 'Sex' is categorical"
      ),
      ("invariance: [{ name: a }]", "inline.yml:10:", "an invariance test needs 'perturb:'"),
      (
        "directionality: [{ name: a, perturb: { shift: { Age: 1 } }, expect: up }]",
        "inline.yml:10:", "'expect' is one of increasing, decreasing, not_decreasing"
      ),
      (
        "minimum_functionality: [{ name: a, cases: test.csv, expect: No Risk }]",
        "inline.yml:10:", "test.csv:1: field 'Risk': not a feature of the data (the label"
      ),
      (
        "invariance: [{ name: a, perturb: { noise: { size: 0.1, unit: sd } } }]",
        "inline.yml:10:", "'unit' is one of spread, absolute, relative, found 'sd'"
      ),
      (
        "invariance: [{ name: a, max_failure_rate: 1.5, perturb: { shift: { Age: 1 } } }]",
        "inline.yml:10:", "'max_failure_rate' is a share of the tested rows in [0, 1)"
      ),
      (
        "invariance: [{ name: a, perturb: { shift: { Age: 1 } } }, { name: a, perturb: { shift: { Age: 2 } } }]",
        "inline.yml:10:", "a behavioural test named 'a' appears twice"
      ),
    ])
  func mistakes(section: String, place: String, message: String) {
    let text = error("  behavioural:\n    \(section)\n")
    #expect(text.hasPrefix(place), "\(text)")
    #expect(text.contains(message), "\(text)")
  }

  @Test func aCaseFileWithAValueOutsideTheDomainNamesItsLineAndField() throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let lines = try String(
      contentsOfFile: TestEnvironment.path("fixtures/credit/test.csv"), encoding: .utf8
    )
    .split(separator: "\n").prefix(3).map { line in
      // Drop the label (the last column) and misspell a value on the second case.
      String(line[..<line.lastIndex(of: ",")!])
    }
    let broken = [lines[0], lines[1], lines[2].replacingOccurrences(of: ",male,", with: ",mael,")]
    try (broken.joined(separator: "\n") + "\n").write(
      toFile: directory + "/cases.csv", atomically: true, encoding: .utf8)
    for name in ["train.csv", "test.csv"] {
      try FileManager.default.copyItem(
        atPath: TestEnvironment.path("fixtures/credit/\(name)"), toPath: directory + "/\(name)")
    }
    let text = error(
      "  behavioural:\n    minimum_functionality: [{ name: a, cases: cases.csv, expect: Risk }]\n",
      directory: directory)
    #expect(
      text.contains("cases.csv:3: field 'Sex': 'mael' is not a value of the column"), "\(text)")
  }

  /// With a schema section the domain and bounds are the schema's, wherever the section is
  /// written; without one they are learned from the reference data.
  @Test func theSchemaSectionDecidesTheDomain() throws {
    let directory = try TestEnvironment.temporaryDirectory()
    for name in ["train.csv", "test.csv"] {
      try FileManager.default.copyItem(
        atPath: TestEnvironment.path("fixtures/credit/\(name)"), toPath: directory + "/\(name)")
    }
    let schema = try String(
      contentsOfFile: TestEnvironment.path("fixtures/credit/schema.yml"), encoding: .utf8)
    try schema.replacingOccurrences(
      of: "Housing: { type: categorical, values: [free, own, rent] }",
      with: "Housing: { type: categorical, values: [own, rent] }"
    ).replacingOccurrences(
      of: "Age: { type: integer, min: 19, max: 74 }",
      with: "Age: { type: integer, min: 18, max: 99 }"
    ).write(toFile: directory + "/schema.yml", atomically: true, encoding: .utf8)
    let behavioural = """
        behavioural:
          invariance: [{ name: a, perturb: { set: { Housing: free } } }]

      """
    #expect(error(behavioural, directory: directory) == "loaded")
    let withSchema = error(behavioural + "  schema: { input: schema.yml }\n", directory: directory)
    #expect(withSchema.contains("'free' is not a value of 'Housing' (own, rent)"), "\(withSchema)")
    let suite = try load(
      "  behavioural:\n    invariance: [{ name: a, perturb: { set: { Age: 90 } } }]\n  schema: { input: schema.yml }\n",
      directory: directory)
    #expect(suite.tests.behavioural?.space.feature("Age")?.max == 99)
    #expect(suite.tests.sections.map(\.name) == [.behavioural, .schema], "suite order is kept")
  }

  @Test func regressionInvarianceNeedsATolerance() {
    let text = """
      name: r
      task: regression
      label: progression
      data: { test: test.csv }
      model: { command: [never-started] }
      tests:
        behavioural:
          invariance: [{ name: a, perturb: { shift: { age: 1 } } }]
      """
    var message = ""
    do {
      _ = try SuiteLoader(environment: { _ in nil }).parse(
        text: text, file: "r.yml", directory: TestEnvironment.path("fixtures/diabetes"))
    } catch {
      message = "\(error)"
    }
    #expect(message.contains("r.yml:8:"), "\(message)")
    #expect(message.contains("needs 'tolerance:'"), "\(message)")
  }
}
