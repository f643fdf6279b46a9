import Foundation
import MLGateXML
import Testing

@testable import MLGate
@testable import MLGateTestSupport

@Suite struct JUnitWriterTests {
  static let schema: XMLSchemaValidator? = try? XMLSchemaValidator(
    xsdPath: TestEnvironment.path("fixtures/schemas/junit-10.xsd"))

  static func sampleReport(extraName: String = "accuracy is at least 0.7") -> RunReport {
    RunReport(
      suiteName: "credit.risk v2",
      categories: ["quality", "setup"],
      results: [
        CheckResult(
          category: "quality", name: "area_under_roc is at least 0.75",
          outcome: .failed(
            message: "area_under_roc 0.7104 < 0.75 (lower limit), 95% CI [0.6880, 0.7330], n=1000",
            details: "area_under_roc = 0.7104\nn = 1000"),
          duration: .milliseconds(1234), summary: "area_under_roc=0.7104 n=1000"),
        CheckResult(
          category: "quality", name: extraName, outcome: .passed, duration: .milliseconds(1),
          summary: "accuracy=0.8120"),
        CheckResult(
          category: "quality", name: "log_loss is at most 0.5",
          outcome: .skipped(
            message: "only 12 labelled rows, fewer than min_rows 30", inconclusive: true),
          duration: .zero, summary: ""),
        CheckResult(
          category: "setup", name: "suite loads and the model answers",
          outcome: .error(
            kind: .infrastructure,
            message: "the model process exited with status 1\nbefore answering", details: "boom"),
          duration: .milliseconds(10), summary: ""),
      ],
      properties: [("mlgate.version", "0.1.0"), ("seed", "7")],
      startedAt: 1_795_000_000, duration: .milliseconds(12345), hostname: "agent-1")
  }

  @Test func goldenShape() async throws {
    let xml = String(
      decoding: try JUnitWriter(path: "", secrets: SecretStore()).render(Self.sampleReport()),
      as: UTF8.self)
    let golden = try String(
      contentsOfFile: TestEnvironment.path("fixtures/golden/junit-basic.xml"), encoding: .utf8)
    #expect(xml == golden)
  }

  @Test func reportsValidateAgainstTheJUnitSchema() async throws {
    let schema = try #require(Self.schema)
    let writer = JUnitWriter(path: "", secrets: SecretStore())
    for report in [
      Self.sampleReport(), RunReport.setupFailure(suiteName: "x", message: "bad", kind: .suite),
    ] {
      let issues = schema.validate(try writer.render(report))
      #expect(issues.isEmpty, "\(issues)")
    }
  }

  @Test func hostileTextIsSanitisedAndSecretsRedacted() async throws {
    let secrets = SecretStore()
    secrets.add(["tok-abcdef-123456"])
    var report = Self.sampleReport(
      extraName: "\u{1B}[31mred\u{1B}[0m name with \u{01} control & <tags> \"quotes\"")
    report.results[0].outcome = .failed(
      message: "leaked tok-abcdef-123456 in message", details: "body tok-abcdef-123456 ]]> \u{FFFE}"
    )
    let bytes = try JUnitWriter(path: "", secrets: secrets).render(report)
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(!text.contains("tok-abcdef-123456"))
    #expect(!text.contains("\u{1B}"))
    #expect(try #require(Self.schema).validate(bytes).isEmpty)
    let root = try XMLDocumentReader.parse(bytes)
    let names = root.children(named: "testsuite").flatMap { $0.children(named: "testcase") }
      .compactMap { $0.attribute("name") }
    #expect(names.contains("red name with #x01 control & <tags> \"quotes\""))
  }

  @Test func countsAndClassnamesFollowJenkinsRules() async throws {
    let root = try XMLDocumentReader.parse(
      try JUnitWriter(path: "", secrets: SecretStore()).render(Self.sampleReport()))
    #expect(root.name == "testsuites")
    #expect(root.attribute("tests") == "4")
    #expect(root.attribute("failures") == "1")
    #expect(root.attribute("errors") == "1")
    let suites = root.children(named: "testsuite")
    #expect(
      suites.map { $0.attribute("name") } == ["credit_risk_v2.quality", "credit_risk_v2.setup"])
    #expect(suites[0].attribute("skipped") == "1")
    #expect(suites[0].attribute("time") == "1.235")
    #expect(suites[0].attribute("timestamp") == "2026-11-18T11:06:40Z")
    for testcase in suites.flatMap({ $0.children(named: "testcase") }) {
      let outcomes = testcase.children.filter { ["failure", "error", "skipped"].contains($0.name) }
      #expect(outcomes.count <= 1)
      #expect(testcase.attribute("classname")?.split(separator: ".").count == 2)
    }
    let error = try #require(suites[1].firstChild(named: "testcase")?.firstChild(named: "error"))
    #expect(error.attribute("message") == "the model process exited with status 1 before answering")
    #expect(error.attribute("type") == "infrastructure")
  }

  @Test func namesStayUniqueAfterJenkinsMapsThem() async throws {
    var report = Self.sampleReport()
    report.results.append(
      CheckResult(
        category: "quality", name: "accuracy is at least 0.7", outcome: .passed, duration: .zero,
        summary: ""))
    let root = try XMLDocumentReader.parse(
      try JUnitWriter(path: "", secrets: SecretStore()).render(report))
    let names = root.children(named: "testsuite")[0].children(named: "testcase").compactMap {
      $0.attribute("name")
    }
    #expect(Set(names).count == names.count)
    #expect(names.contains("accuracy is at least 0.7 (2)"))
  }

  @Test func writtenAtomically() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let path = directory + "/nested/reports/mlgate.xml"
    try JUnitWriter(path: path, secrets: SecretStore()).runFinished(Self.sampleReport())
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
  }

  @Test(.enabled(if: TestEnvironment.pythonTestsEnabled))
  func anIndependentParserReadsTheSameCounts() async throws {
    let python = try #require(TestEnvironment.python, "no Python: run ci/setup-python")
    let directory = try TestEnvironment.temporaryDirectory()
    let path = directory + "/report.xml"
    try JUnitWriter(path: path, secrets: SecretStore()).runFinished(Self.sampleReport())
    let result = try await runProgram(python, [TestEnvironment.path("ci/junit_summary.py"), path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        == "tests=4 failures=1 errors=1 skipped=1")
  }
}
