import Foundation

@testable import MLGateTestSupport

/// What a JUnit report says of one test case, as Jenkins reads it.
struct ReportCase {
  /// The failure message, if it failed.
  var failure: String?
  /// The failure's body.
  var details: String
  /// Whether it was an error, and its message.
  var error: String?
  /// The skip message, if skipped.
  var skipped: String?
  /// `<system-out>`.
  var output: String

  /// Whether it passed.
  var passed: Bool { failure == nil && error == nil && skipped == nil }

  /// The cases of the report at `path`, by name.
  static func read(_ path: String) throws -> [String: ReportCase] {
    let root = try XMLDocumentReader.parse(path: path)
    var cases: [String: ReportCase] = [:]
    for suite in root.children(named: "testsuite") {
      for testcase in suite.children(named: "testcase") {
        let failure = testcase.firstChild(named: "failure")
        cases[testcase.attribute("name") ?? ""] = ReportCase(
          failure: failure?.attribute("message"), details: failure?.text ?? "",
          error: testcase.firstChild(named: "error")?.attribute("message"),
          skipped: testcase.firstChild(named: "skipped")?.attribute("message"),
          output: testcase.firstChild(named: "system-out")?.text ?? "")
      }
    }
    return cases
  }

  /// Runs `mlgate run SUITE` as a user would and reads its report.
  static func run(
    _ suite: String, arguments: [String] = [], environment: [String: String] = [:],
    timeLimit: TimeInterval = 180
  ) async throws -> (result: ProgramResult, cases: [String: ReportCase], junit: String) {
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let result = try await runProgram(
      TestEnvironment.binary, ["run", suite, "--junit", junit, "--no-color"] + arguments,
      environment: environment, timeLimit: timeLimit)
    return (result, try read(junit), junit)
  }
}
