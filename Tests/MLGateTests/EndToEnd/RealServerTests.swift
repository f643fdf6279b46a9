import Foundation
import Testing

@testable import MLGate

/// Suites against real model servers on 127.0.0.1.
///
/// Seldon MLServer (Open Inference Protocol v2) and `mlflow models serve`. `ci/test` starts them with `ci/servers/start` before the tests,
/// passes their URLs in `MLGATE_MLSERVER_URL` and `MLGATE_MLFLOW_URL`, and stops them by pid
/// afterwards. The figures must equal scikit-learn's, as through the command model. With
/// `MLGATE_REQUIRE_SERVERS=1` (as `ci/test` sets) missing servers fail these tests.
@Suite(.enabled(if: TestEnvironment.serverTestsEnabled)) struct RealServerTests {
  func url(_ variable: String) throws -> String {
    try #require(
      ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 },
      "\(variable) is not set: run the tests through ci/test, which starts the servers")
  }

  func scoreAndCompare(
    _ endpoint: String, fixture: String, label: String, positive: String, classes: [String],
    batch: Int = 64
  ) async throws {
    let text = """
      name: real-server
      seed: 7
      task: binary-classification
      label: \(label)
      positive: \(positive)
      data: { test: test.csv }
      model:
        endpoint:
      \(endpoint.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        batch: \(batch)
        timeout: 60s
        classes: [\(classes.joined(separator: ", "))]
      tests: { quality: { accuracy: 0.5 } }
      """
    let suite = try SuiteLoader(environment: { _ in nil }).parse(
      text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/\(fixture)"))
    let model = try #require(Runner.model(of: suite))
    let context = RunContext(suite: suite, model: model, progress: nil)
    let scored: ScoredData
    do {
      scored = try await context.scored()
    } catch {
      await model.shutdown()
      throw error
    }
    let properties = Dictionary(
      await model.reportProperties().map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    await model.shutdown()
    #expect(properties["endpoint.retries"] == "0")
    try MetricEngineTests.expectFigures(of: scored.evaluation, match: fixture)
  }

  @Test func mlserverV2GivesScikitLearnsFigures() async throws {
    let base = try url("MLGATE_MLSERVER_URL")
    try await scoreAndCompare(
      """
      url: \(base)/v2/models/credit/infer
      protocol: v2
      health: /v2/health/ready
      concurrency: 4
      """, fixture: "credit", label: "Risk", positive: "Risk", classes: ["No Risk", "Risk"])
    try await scoreAndCompare(
      """
      url: \(base)/v2/models/breast-cancer/infer
      protocol: v2
      """, fixture: "breast_cancer", label: "diagnosis", positive: "malignant",
      classes: ["benign", "malignant"])
  }

  @Test func mlflowServerGivesScikitLearnsFigures() async throws {
    let base = try url("MLGATE_MLFLOW_URL")
    try await scoreAndCompare(
      """
      url: \(base)/invocations
      protocol: mlflow
      health: /ping
      """, fixture: "credit", label: "Risk", positive: "Risk", classes: ["No Risk", "Risk"])
  }

  @Test(
    "the example suite gives the same verdicts and figures through each server",
    arguments: ["mlserver", "mlflow"])
  func sameVerdictsThroughEachServer(server: String) async throws {
    _ = try url(server == "mlserver" ? "MLGATE_MLSERVER_URL" : "MLGATE_MLFLOW_URL")
    func run(_ suite: String) async throws -> [String] {
      let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
      let result = try await runProgram(
        TestEnvironment.binary,
        [
          "run", TestEnvironment.path("fixtures/credit/\(suite)"), "--junit", junit, "--no-color",
          // Not the pipeline: its steps write one workspace, which parallel runs would share.
          "--only", "quality,behavioural,adversarial,schema",
        ],
        timeLimit: 120)
      #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
      // The verdict lines without their timings.
      return result.stdout.split(separator: "\n").filter {
        $0.hasPrefix("PASS") || $0.hasPrefix("FAIL")
      }
      .map {
        $0.replacingOccurrences(of: #" \([0-9.]+m?s\)$"#, with: "", options: .regularExpression)
      }
    }
    // The quality verdicts and figures; the schema section is the artifact suite's own. Through
    // MLServer (probabilities, like the artifact) the behavioural and adversarial sections give
    // the same figures too: same seed, same perturbations, same attacks.
    let categories =
      server == "mlserver" ? [" quality ", " behavioural ", " adversarial "] : [" quality "]
    let artifact = try await run("mlgate.yml").filter { line in
      categories.contains { line.contains($0) }
    }
    let endpoint = try await run("mlgate-\(server).yml").filter { line in
      categories.contains { line.contains($0) }
    }
    #expect(artifact.count == (server == "mlserver" ? 12 : 5))
    #expect(endpoint == artifact)
  }

  /// Bad input against the real servers: what each does, as measured (see
  /// shared/notes/serving-protocols.md §2), is what mlgate reports.
  @Test func badInputShowsWhatEachServerDoes() async throws {
    func run(_ endpoint: String, _ statuses: String) async throws -> [String: String] {
      let text = """
        name: bad-input
        seed: 7
        task: binary-classification
        label: Risk
        positive: Risk
        data: { test: test.csv }
        model:
          endpoint:
        \(endpoint.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
          batch: 64
          timeout: 60s
          classes: [No Risk, Risk]
        tests:
          schema:
            input: schema.yml
            bad_input: [null, nan, wrong_type, unknown_category, missing_field]
        \(statuses)
        """
      let suite = try SuiteLoader(environment: { _ in nil }).parse(
        text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/credit"))
      let report = await Runner(suite: suite, options: .init(handleSignals: false), reporters: [])
        .run()
      return Dictionary(
        report.results.map { result -> (String, String) in
          switch result.outcome {
          case .passed: return (result.name, "passed")
          case .failed(let message, _): return (result.name, message)
          case .error(_, let message, _): return (result.name, "error: \(message)")
          case .skipped(let message, _): return (result.name, "skipped: \(message)")
          }
        }, uniquingKeysWith: { a, _ in a })
    }
    let mlserver = try await run(
      """
      url: \(try url("MLGATE_MLSERVER_URL"))/v2/models/credit/infer
      protocol: v2
      """, "")
    // MLServer answers a bad value with a bare 500, and scores an unknown category.
    #expect(
      mlserver["the model rejects a string in a numeric column"]?.contains(
        "→ HTTP 500, a server error")
        == true, "\(mlserver)")
    #expect(
      mlserver["the model rejects an unknown category"]?.contains("a silent prediction") == true)
    #expect(mlserver["the model still answers as before after the bad input"] == "passed")
    // Listing 500 as MLServer's rejection turns those cases into passes.
    let lenient = try await run(
      """
      url: \(try url("MLGATE_MLSERVER_URL"))/v2/models/credit/infer
      protocol: v2
      """, "    reject_status: [400, 422, 500]")
    #expect(lenient["the model rejects a string in a numeric column"] == "passed", "\(lenient)")
    let mlflow = try await run(
      """
      url: \(try url("MLGATE_MLFLOW_URL"))/invocations
      protocol: mlflow
      """, "")
    // MLflow refuses a string in a number column (400) and a missing column, but scores a null
    // in a string column silently.
    #expect(mlflow["the model rejects a string in a numeric column"] == "passed", "\(mlflow)")
    #expect(mlflow["the model rejects a missing field"] == "passed")
    #expect(
      mlflow["the model rejects a null in a required column"]?.contains("→ a silent prediction")
        == true, "\(mlflow)")
  }

  @Test func oneRowAtATimeGivesTheSameFigures() async throws {
    let base = try url("MLGATE_MLSERVER_URL")
    try await scoreAndCompare(
      """
      url: \(base)/v2/models/breast-cancer/infer
      protocol: v2
      concurrency: 8
      """, fixture: "breast_cancer", label: "diagnosis", positive: "malignant",
      classes: ["benign", "malignant"],
      batch: 1)
  }
}
