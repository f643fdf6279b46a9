import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// `tests: integration: endpoint:` against real MLServer and MLflow servers on 127.0.0.1
/// (started by `ci/test`): the example suites' sections pass, and each planted fault is caught
/// with a message naming what failed — another model served than the artifact, a latency budget
/// missed, a route that never gets ready, metadata that does not match the data.
@Suite(.serialized, .enabled(if: TestEnvironment.serverTestsEnabled))
struct EndpointIntegrationTests {
  func environment() throws -> [String: String] {
    let environment = ProcessInfo.processInfo.environment
    return [
      "MLGATE_MLSERVER_URL": try #require(environment["MLGATE_MLSERVER_URL"]),
      "MLGATE_MLFLOW_URL": try #require(environment["MLGATE_MLFLOW_URL"]),
    ]
  }

  /// The MLServer example suite with `edit` applied to its text, its integration section run.
  func runMLServer(_ edit: (String) -> String = { $0 }, filter: [String] = []) async throws
    -> (result: ProgramResult, cases: [String: ReportCase])
  {
    let text = edit(
      try String(
        contentsOfFile: TestEnvironment.path("fixtures/credit/mlgate-mlserver.yml"),
        encoding: .utf8))
    let path = TestEnvironment.path("fixtures/credit/.mlgate-endpoint-\(UUID().uuidString).yml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try await ReportCase.run(
      path, arguments: ["--only", "integration"] + filter.flatMap { ["-k", $0] },
      environment: try environment())
    return (run.result, run.cases)
  }

  @Test func theMLServerSectionPasses() async throws {
    let run = try await runMLServer()
    #expect(run.result.status == 0, "\(run.result.stdout)")
    #expect(run.cases.count == 5)
    let ready = try #require(run.cases["endpoint is ready within 60.0s"])
    #expect(ready.output.contains("/v2/health/ready → 200"))
    #expect(ready.output.contains("/v2/models/credit/ready → 200"))
    let consistency = try #require(
      run.cases["endpoint predictions equal the artifact's (tolerance 1e-09)"])
    #expect(consistency.output.contains("0 rows differ"))
    let latency = try #require(run.cases.first { $0.key.hasPrefix("endpoint latency") }?.value)
    #expect(latency.output.contains("200 requests, 0 failed"))
    #expect(
      run.cases["endpoint metadata matches the data's columns"]?.output.contains(
        "all 20 features are declared inputs") == true)
  }

  /// Another model served than the artifact is caught, with scikit-learn's figures.
  ///
  /// MLServer serves candidate.pkl; the suite says it was built from production.pkl. On every
  /// test row (a sample larger than the file keeps all), the count of rows whose label differs and
  /// the largest probability difference equal scikit-learn's own comparison of the two pickles.
  @Test func anotherModelThanTheArtifactIsCaught() async throws {
    let run = try await runMLServer(
      {
        $0.replacingOccurrences(
          of: "serve_model.py, candidate.pkl]", with: "serve_model.py, production.pkl]"
        ).replacingOccurrences(of: "sample: 500", with: "sample: 100000")
      },
      filter: ["predictions equal"])
    #expect(run.result.status == 1)
    let failure = try #require(
      run.cases["endpoint predictions equal the artifact's (tolerance 1e-09)"]?.failure)
    #expect(failure.contains("the endpoint disagrees with the artifact on"), "\(failure)")
    #expect(failure.contains("first at line"))
    #expect(failure.contains("of 1000 rows"))
    let script = """
      import joblib, pandas as pd
      data = pd.read_csv('fixtures/credit/test.csv').drop(columns=['Risk'])
      a = joblib.load('fixtures/credit/candidate.pkl')
      b = joblib.load('fixtures/credit/production.pkl')
      labels = int((a.predict(data) != b.predict(data)).sum())
      largest = float(abs(a.predict_proba(data) - b.predict_proba(data)).max())
      print(labels, '%.3g' % largest)
      """
    let python = try #require(TestEnvironment.python)
    let expected = try await runProgram(
      python, ["-c", script], directory: TestEnvironment.path(""))
    let figures = expected.stdout.split(separator: " ").map {
      $0.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    #expect(figures.count == 2, "\(expected.stderr)")
    #expect(
      failure.contains(
        "the label differs on \(figures.first ?? "?"), the largest difference is \(figures.last ?? "?")"
      ),
      "\(failure)")
  }

  @Test func aMissedLatencyBudgetNamesThePercentile() async throws {
    let run = try await runMLServer(
      { $0.replacingOccurrences(of: "p50: 2s", with: "p50: 1ms") }, filter: ["latency"])
    #expect(run.result.status == 1)
    let failure = try #require(
      run.cases.first { $0.key.hasPrefix("endpoint latency") }?.value.failure)
    #expect(failure.hasPrefix("p50 = "), "\(failure)")
    #expect(failure.contains("above 1.00 ms"))
    #expect(failure.contains("200 requests of 1 row, concurrency 4"))
  }

  @Test func aRouteThatNeverGetsReadyFailsAtItsDeadline() async throws {
    let started = ContinuousClock.now
    let run = try await runMLServer(
      {
        $0.replacingOccurrences(
          of: "readiness: { deadline: 60s }",
          with: "readiness: { deadline: 2s, route: /v2/models/absent/ready }")
      }, filter: ["ready"])
    #expect(ContinuousClock.now - started < .seconds(30))
    let failure = try #require(run.cases["endpoint is ready within 2.0s"]?.failure)
    #expect(failure.contains("was not ready within 2.0s"), "\(failure)")
    #expect(failure.contains("/v2/models/absent/ready answered HTTP 404"))
  }

  @Test func metadataThatDoesNotMatchTheDataIsCaught() async throws {
    // Age dropped from what is sent (the other sections, which use it, left out).
    let run = try await runMLServer(
      { text in
        let head = text.components(separatedBy: "\ntests:\n")[0]
        return head.replacingOccurrences(
          of: "  test: test.csv\n", with: "  test: test.csv\n  drop: [Age]\n")
          + "\ntests:\n  integration:\n    endpoint: { metadata: true }\n"
      }, filter: ["metadata"])
    let failure = try #require(run.cases["endpoint metadata matches the data's columns"]?.failure)
    #expect(failure == "the model declares 1 input the data does not have: Age")
  }

  @Test func theMLflowSectionPasses() async throws {
    let run = try await ReportCase.run(
      TestEnvironment.path("fixtures/credit/mlgate-mlflow.yml"),
      arguments: ["--only", "integration"], environment: try environment())
    #expect(run.result.status == 0, "\(run.result.stdout)")
    #expect(run.cases.count == 4)
    #expect(run.cases["endpoint is ready within 60.0s"]?.output.contains("/ping → 200") == true)
  }
}
