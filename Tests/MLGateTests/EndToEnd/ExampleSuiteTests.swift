import Foundation
import MLGateXML
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// The bundled example suites with the real scikit-learn models (`ci/serve_model.py`).
@Suite(.serialized, .enabled(if: TestEnvironment.pythonTestsEnabled)) struct ExampleSuiteTests {
  func python() throws -> String {
    try #require(TestEnvironment.python, "no Python: run ci/setup-python")
  }

  @Test(
    "figures through the command model equal scikit-learn's to 1e-9",
    arguments: [
      ("credit", "candidate.pkl", "binary-classification", "Risk", "Risk"),
      ("breast_cancer", "model.pkl", "binary-classification", "diagnosis", "malignant"),
      ("wine", "model.pkl", "multiclass", "cultivar", ""),
      ("diabetes", "model.pkl", "regression", "progression", ""),
    ])
  func figuresThroughTheModel(
    fixture: String, model: String, task: String, label: String, positive: String
  ) async throws {
    let text = """
      name: \(fixture)
      task: \(task)
      label: \(label)
      \(positive.isEmpty ? "" : "positive: \(positive)")
      data: { test: test.csv }
      model: { command: [\(try python()), ../../ci/serve_model.py, \(model)], batch: 97 }
      tests: { quality: { \(task == "regression" ? "r2" : "accuracy"): 0.1 } }
      """
    let suite = try SuiteLoader(environment: { _ in nil }).parse(
      text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/\(fixture)"))
    let modelProcess = try #require(Runner.model(of: suite))
    let context = RunContext(suite: suite, model: modelProcess, progress: nil)
    let scored = try await context.scored()
    await modelProcess.shutdown()
    try MetricEngineTests.expectFigures(of: scored.evaluation, match: fixture)
  }

  @Test func theExampleSuitePassesAndItsReportIsValid() async throws {
    let junit = try TestEnvironment.temporaryDirectory() + "/mlgate.xml"
    let result = try await runProgram(
      TestEnvironment.binary,
      ["run", TestEnvironment.path("fixtures/credit/mlgate.yml"), "--junit", junit], timeLimit: 120)
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stdout.contains("82 passed, 0 failed, 0 errors, 0 skipped"))
    #expect(result.stdout.contains("drift  no drift in the predictions  PSI 0.0129"))
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: junit)))
    let schema = try XMLSchemaValidator(
      xsdPath: TestEnvironment.path("fixtures/schemas/junit-10.xsd"))
    #expect(schema.validate(bytes).isEmpty)
    let root = try XMLDocumentReader.parse(bytes)
    let properties =
      root.children(named: "testsuite")[0].firstChild(named: "properties")?.children(
        named: "property") ?? []
    let byName = Dictionary(
      properties.compactMap { p in p.attribute("name").map { ($0, p.attribute("value") ?? "") } },
      uniquingKeysWith: { a, _ in a })
    #expect(byName["model.digest"]?.hasPrefix("sha256:") == true)
    #expect(byName["suite.digest"]?.hasPrefix("sha256:") == true)
    #expect(byName["seed"] == "7")
    #expect(byName["data.test.rows"] == "1000")
    let summary = try await runProgram(
      try python(), [TestEnvironment.path("ci/junit_summary.py"), junit])
    #expect(
      summary.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        == "tests=82 failures=0 errors=0 skipped=0")
    // The reported figure equals scikit-learn's.
    let expected = try MetricEngineTests.load("credit")
    let auc = try #require(expected.metrics["area_under_roc"])
    #expect(result.stdout.contains("area_under_roc=\(TextFormat.figure(auc))"))
  }

  /// Same seed, same report: perturbations, samples, attacks, verdicts and every figure repeat
  /// (times, timestamps and the scoring time aside).
  @Test func theSameSeedGivesTheSameReport() async throws {
    func report() async throws -> String {
      let directory = try TestEnvironment.temporaryDirectory()
      let junit = directory + "/mlgate.xml"
      let result = try await runProgram(
        TestEnvironment.binary,
        ["run", TestEnvironment.path("fixtures/credit/mlgate.yml"), "--junit", junit],
        timeLimit: 120)
      #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
      // The plots sit beside each run's own report.
      return try String(contentsOfFile: junit, encoding: .utf8)
        .replacingOccurrences(of: directory, with: "DIR")
        .replacingOccurrences(
          of: #" (time|timestamp)="[^"]*""#, with: "", options: .regularExpression
        )
        .replacingOccurrences(
          of: #"name="scoring.seconds" value="[^"]*""#, with: "", options: .regularExpression
        )
        // The pipeline's own scripts print how long they took.
        .replacingOccurrences(of: #"done in [0-9.]+s"#, with: "", options: .regularExpression)
    }
    let first = try await report()
    #expect(first.contains("INV: sex does not change the decision"))
    #expect(first.contains("robust accuracy"))
    #expect(try await report() == first)
  }

  @Test func theFailingExampleFailsWithReadableMessages() async throws {
    let junit = try TestEnvironment.temporaryDirectory() + "/mlgate.xml"
    let result = try await runProgram(
      TestEnvironment.binary,
      ["run", TestEnvironment.path("fixtures/credit/mlgate-failing.yml"), "--junit", junit],
      timeLimit: 120)
    #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
    let root = try XMLDocumentReader.parse(path: junit)
    let cases = root.children(named: "testsuite").flatMap { $0.children(named: "testcase") }
    let failures = cases.compactMap { $0.firstChild(named: "failure") }
    let quality = cases.filter { $0.attribute("classname") == "credit-risk-weak.quality" }
      .compactMap { $0.firstChild(named: "failure") }
    #expect(quality.count >= 2)
    for failure in quality {
      let message = try #require(failure.attribute("message"))
      // "area_under_roc 0.6436 < 0.75 (lower limit), 95% CI [0.6174, 0.6717], n=1000"
      #expect(
        message.range(
          of:
            #"^[a-z_]+ \d\.\d{4} [<>] [\d.]+ \((lower|upper) limit\), 95% CI \[\d\.\d{4}, \d\.\d{4}\], n=1000$"#,
          options: .regularExpression) != nil, "\(message)")
      #expect(failure.attribute("type") == "threshold")
      #expect(failure.text.contains("positive class: Risk"), "\(failure.text)")
    }
    // The corrupted copy of the test data fails each anomaly kind but "has rows", naming columns.
    let schema = cases.filter { $0.attribute("classname") == "credit-risk-weak.schema" }
    let messages = schema.compactMap { $0.firstChild(named: "failure")?.attribute("message") }
    #expect(messages.count == 6, "\(messages)")
    for column in ["Telephone", "CustomerId", "LoanDuration", "Age", "Sex", "ExistingSavings"] {
      #expect(messages.contains { $0.contains("'\(column)'") }, "\(column): \(messages)")
    }
    // The shifted copy of the test data drifts in the three shifted columns only.
    let drift = cases.filter { $0.attribute("classname") == "credit-risk-weak.drift" }
    let drifted = drift.filter { $0.firstChild(named: "failure") != nil }.compactMap {
      $0.attribute("name")
    }
    #expect(
      Set(drifted) == ["no drift in LoanAmount", "no drift in Age", "no drift in CheckingStatus"],
      "\(drifted)")
    let age = drift.first { $0.attribute("name") == "no drift in Age" }?.firstChild(
      named: "failure")
    #expect(
      age?.attribute("message")?.hasPrefix("Age drifted: PSI 1.6299 ≥ 0.25; Wasserstein distance")
        == true, "\(age?.attribute("message") ?? "")")
    let summary = try await runProgram(
      try python(), [TestEnvironment.path("ci/junit_summary.py"), junit])
    #expect(summary.status == 0)
    #expect(summary.stdout.contains("failures=\(failures.count)"))
  }
}
