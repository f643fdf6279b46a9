import Foundation
import MLGateXML
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// The `mlgate` binary as a user and Jenkins run it: exit codes, console, report files.
@Suite struct CommandLineTests {
  /// Writes a suite into a fresh folder and returns its path.
  func suite(_ text: String) throws -> String {
    let directory = try TestEnvironment.temporaryDirectory()
    let path = directory + "/mlgate.yml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func badModelSuite(
    _ mode: String, timeout: String = "2s", test: String? = nil, tag: String = "none"
  ) throws -> String {
    try suite(
      """
      name: faults
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: \(test ?? TestEnvironment.path("fixtures/credit/test.csv")) }
      model:
        command: [python3, \(TestEnvironment.path("ci/fixtures/bad_model.py")), --mode, \(mode)]
        timeout: \(timeout)
        start_timeout: \(timeout)
        env: { MLGATE_TEST_TAG: \(tag) }
      tests:
        quality:
          accuracy: [0.5, lower]
          area_under_roc: [0.6, lower]
      """)
  }

  func report(_ path: String) throws -> XMLElement { try XMLDocumentReader.parse(path: path) }

  func cases(_ root: XMLElement) -> [XMLElement] {
    root.children(named: "testsuite").flatMap { $0.children(named: "testcase") }
  }

  @Test func validateAcceptsTheExamplesAndRejectsABrokenSuite() async throws {
    for example in ["fixtures/credit/mlgate.yml", "fixtures/credit/mlgate-failing.yml"] {
      let ok = try await runProgram(
        TestEnvironment.binary, ["validate", TestEnvironment.path(example)])
      #expect(ok.status == 0, "\(ok.stderr)")
      #expect(ok.stdout.hasPrefix("ok: suite"))
    }
    let broken = TestEnvironment.path("fixtures/broken/suites/unknown-key.yml")
    let bad = try await runProgram(TestEnvironment.binary, ["validate", broken])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("\(broken):11:33: unknown key 'threshhold'"), "\(bad.stderr)")
  }

  @Test func validateChecksTheLabelColumnWithoutAModel() async throws {
    let path = try suite(
      """
      name: s
      task: binary-classification
      label: Risky
      positive: Risk
      data: { test: \(TestEnvironment.path("fixtures/credit/test.csv")) }
      model: { command: [no-such-program] }
      tests: { quality: { accuracy: 0.5 } }
      """)
    let result = try await runProgram(TestEnvironment.binary, ["validate", path])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("label column 'Risky' is not in the file — did you mean 'Risk'?"),
      "\(result.stderr)")
  }

  @Test func schemaInferWritesTheCommittedFixture() async throws {
    let output = try TestEnvironment.temporaryDirectory() + "/schema.yml"
    let result = try await runProgram(
      TestEnvironment.binary,
      ["schema", "infer", "fixtures/credit/train.csv", "--label", "Risk", "-o", output],
      directory: TestEnvironment.path("."))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("21 columns from 4000 rows"))
    let written = try String(contentsOfFile: output, encoding: .utf8)
    let committed = try String(
      contentsOfFile: TestEnvironment.path("fixtures/credit/schema.yml"), encoding: .utf8)
    #expect(written == committed)
    // Without -o the schema goes to standard output.
    let printed = try await runProgram(
      TestEnvironment.binary, ["schema", "infer", "fixtures/credit/train.csv", "--label", "Risk"],
      directory: TestEnvironment.path("."))
    #expect(printed.stdout == committed)
  }

  @Test func schemaInferReadsTheSuitesMissingMarkersByDefault() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let data = directory + "/gaps.csv"
    try "age,city\n30,Bern\nnull,N/A\n41,NaN\nNA,Basel\n".write(
      toFile: data, atomically: true, encoding: .utf8)
    let inferred = try await runProgram(TestEnvironment.binary, ["schema", "infer", data])
    #expect(inferred.status == 0, "\(inferred.stderr)")
    // Two of four ages and two of four cities are missing: the types stay integer and categorical.
    #expect(inferred.stdout.contains("age: { type: integer, max_missing: 0.5, min: 30, max: 41 }"))
    #expect(inferred.stdout.contains("city: { type: categorical, max_missing: 0.5"))
    // --missing replaces the markers: "null" is then a value, and age is no longer a number.
    let own = try await runProgram(
      TestEnvironment.binary, ["schema", "infer", data, "--missing", "NA"])
    #expect(own.stdout.contains("age: { type: categorical"), "\(own.stdout)")
  }

  @Test(
    "schema infer names what is wrong with its input and exits with 2",
    arguments: [
      (["fixtures/credit/train.csv", "--label", "risk"], "did you mean 'Risk'"),
      (["fixtures"], "fixtures"),
      (["fixtures/credit/nope.csv"], "nope.csv"),
      (["fixtures/credit/train.csv", "--max-domain", "0"], "--max-domain"),
    ])
  func schemaInferErrors(arguments: [String], words: String) async throws {
    let result = try await runProgram(
      TestEnvironment.binary, ["schema", "infer"] + arguments, directory: TestEnvironment.path("."))
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    #expect(result.stderr.contains(words), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func usageErrorsExitWithTwo() async throws {
    let result = try await runProgram(TestEnvironment.binary, ["run", "--no-such-option"])
    #expect(result.status == 2)
    #expect(
      try await runProgram(TestEnvironment.binary, ["--version"]).stdout.contains(
        MLGateVersion.current))
  }

  @Test func aBrokenSuiteStillWritesAReportWithASetupError() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let junit = directory + "/r.xml"
    let result = try await runProgram(
      TestEnvironment.binary,
      ["run", TestEnvironment.path("fixtures/broken/suites/unknown-metric.yml"), "--junit", junit])
    #expect(result.status == 2)
    let root = try report(junit)
    let error = try #require(cases(root).first?.firstChild(named: "error"))
    #expect(error.attribute("message")?.contains("unknown metric 'acuracy'") == true)
    #expect(cases(root).first?.attribute("classname") == "unknown-metric.setup")
  }

  @Test(
    "every broken suite exits 2 with its message, from validate and from run",
    arguments: SuiteLoaderTests.brokenSuites)
  func brokenSuitesExitWithTwo(name: String) async throws {
    let file = TestEnvironment.path("fixtures/broken/suites/\(name)")
    let expected = try SuiteLoaderTests.expectation(file)
    let validate = try await runProgram(TestEnvironment.binary, ["validate", file])
    #expect(validate.status == 2)
    #expect(validate.stderr.contains(expected), "\(validate.stderr)")
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let run = try await runProgram(TestEnvironment.binary, ["run", file, "--junit", junit])
    #expect(run.status == 2)
    let error = try #require(cases(try report(junit)).first?.firstChild(named: "error"))
    #expect(error.attribute("type") == "suite")
    #expect(error.attribute("message")?.contains(expected) == true)
  }

  @Test(
    "every broken data file exits 2 with its file, line and message",
    arguments: DataReaderTests.brokenData)
  func brokenDataExitsWithTwo(name: String) async throws {
    let file = TestEnvironment.path("fixtures/broken/data/\(name)")
    let expected = try String(contentsOfFile: file + ".expect", encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let path = try suite(
      """
      name: broken-data
      task: binary-classification
      label: label
      positive: x
      data: { test: \(file) }
      model: { command: [python3, \(TestEnvironment.path("ci/fixtures/bad_model.py")), --mode, ok] }
      tests: { quality: { accuracy: 0.5 } }
      """)
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let run = try await runProgram(TestEnvironment.binary, ["run", path, "--junit", junit])
    #expect(run.status == 2, "\(run.stdout)\n\(run.stderr)")
    let error = try #require(cases(try report(junit)).first?.firstChild(named: "error"))
    #expect(["data", "suite"].contains(error.attribute("type") ?? ""))
    // The suite names the file by its absolute path; the message is the same after the path.
    let tail = expected.drop { $0 != ":" }
    #expect(
      error.attribute("message")?.contains(String(tail)) == true,
      "\(error.attribute("message") ?? "")")
  }

  @Test(arguments: [
    ("exit", "the model process exited with status 3 before answering"),
    ("wrong-count", "the model returned 255 predictions for 256 rows"),
    ("crash-start", "the model process exited with status 1"),
    ("garbage", "the model answered with something that is not JSON"),
    ("hang", "did not answer a batch of 256 rows within 2.0s"),
  ])
  func aMisbehavingModelEndsAsErrorsWithExitThree(mode: String, message: String) async throws {
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let result = try await runProgram(
      TestEnvironment.binary,
      [
        "run", try badModelSuite(mode, timeout: mode == "hang" ? "2s" : "30s"), "--junit", junit,
        "--no-color",
      ],
      timeLimit: 30)
    #expect(result.status == 3, "\(result.stdout)\n\(result.stderr)")
    let all = cases(try report(junit))
    #expect(all.count == 2)
    for testcase in all {
      let error = try #require(testcase.firstChild(named: "error"))
      #expect(error.attribute("type") == "infrastructure")
      #expect(
        error.attribute("message")?.contains(message) == true, "\(error.attribute("message") ?? "")"
      )
    }
    #expect(result.stdout.contains("0 passed, 0 failed, 2 errors, 0 skipped"))
  }

  @Test func badDataIsASuiteErrorNamingTheLine() async throws {
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let data = try TestEnvironment.temporaryDirectory() + "/test.csv"
    var text = try String(
      contentsOfFile: TestEnvironment.path("fixtures/credit/test.csv"), encoding: .utf8)
    text += "less_0,12,short row\n"
    try text.write(toFile: data, atomically: true, encoding: .utf8)
    let result = try await runProgram(
      TestEnvironment.binary, ["run", try badModelSuite("ok", test: data), "--junit", junit])
    #expect(result.status == 2)
    let error = try #require(cases(try report(junit)).first?.firstChild(named: "error"))
    #expect(error.attribute("type") == "data")
    #expect(
      error.attribute("message")?.contains("test.csv:1002: ragged row: 3 fields, the header has 21")
        == true, "\(error.attribute("message") ?? "")")
  }

  @Test func sigtermWritesTheReportAndStopsTheModel() async throws {
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let tag = UUID().uuidString
    let result = try await runProgram(
      TestEnvironment.binary,
      // The model's timeout is far beyond the wait below, so the signal always comes first.
      ["run", try badModelSuite("hang", timeout: "900s", tag: tag), "--junit", junit],
      timeLimit: 30
    ) { process in
      // Once the model runs, mlgate is past installing its handlers (the model starts when a
      // check asks for it): wait for it rather than for a time, which a loaded machine exceeds.
      // The wait is bounded by the clock, not by a count of sleeps: on a loaded two-core agent
      // a thousand 20 ms sleeps took over 60 s and the model's 60 s timeout ended the run
      // before the signal.
      let giveUp = Date().addingTimeInterval(120)
      while Date() < giveUp, Self.processes(taggedWith: tag).isEmpty {
        try? await Task.sleep(for: .milliseconds(20))
      }
      kill(process.processIdentifier, SIGTERM)
    }
    #expect(result.status == 143)
    let all = cases(try report(junit))
    #expect(all.count == 2)
    #expect(
      all.allSatisfy {
        $0.firstChild(named: "error")?.attribute("message")?.contains("interrupted by SIGTERM")
          == true
      },
      "\(all.map { $0.firstChild(named: "error")?.attribute("message") ?? "none" }) \(result.stdout)"
    )
    // The model's process group is gone: no process with this test's tag in its environment.
    try await Task.sleep(for: .milliseconds(200))
    #expect(Self.processes(taggedWith: tag).isEmpty)
  }

  /// Processes whose environment holds `MLGATE_TEST_TAG=<tag>`.
  static func processes(taggedWith tag: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { entry in
      guard entry.allSatisfy(\.isNumber),
        let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
      else {
        return false
      }
      return environ.split(separator: 0).contains {
        Array($0) == Array("MLGATE_TEST_TAG=\(tag)".utf8)
      }
    }
  }

  @Test func noColourWhenNotATerminalOrWithNoColor() async throws {
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let result = try await runProgram(
      TestEnvironment.binary, ["run", try badModelSuite("ok"), "--junit", junit],
      environment: ["NO_COLOR": "1"])
    #expect(!result.stdout.contains("\u{1B}"))
    #expect(
      result.stdout.contains("FAIL  quality  area_under_roc is at least 0.6"), "\(result.stdout)")
    #expect(result.stdout.contains("1 passed, 1 failed, 0 errors, 0 skipped"))
    #expect(result.status == 1)
  }
}
