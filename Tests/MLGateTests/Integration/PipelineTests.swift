import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// `tests: integration: pipeline:` against the fixture pipeline (ci/pipeline: validate, prepare,
/// train) and against small steps that misbehave on purpose.
@Suite(.serialized, .enabled(if: TestEnvironment.pythonTestsEnabled)) struct PipelineTests {
  static let suite = TestEnvironment.path("fixtures/credit/mlgate-pipeline.yml")

  @Test func theFixturePipelineTrainsTheModelTheSuiteThenTests() async throws {
    try? FileManager.default.removeItem(atPath: TestEnvironment.path("build/pipeline"))
    let run = try await ReportCase.run(PipelineTests.suite)
    #expect(run.result.status == 0, "\(run.result.stdout)\n\(run.result.stderr)")
    let train = try #require(run.cases["pipeline step 'train' succeeds"])
    #expect(train.passed)
    #expect(train.output.contains("output training_done = true (expected true): ok"))
    // The artifact's digest is the one of the file the step wrote, and the model under test.
    let model = TestEnvironment.path("build/pipeline/model.pkl")
    let python = try #require(TestEnvironment.python)
    let hashed = try await runProgram(
      python,
      [
        "-c",
        "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())",
        model,
      ])
    let digest = "sha256:" + hashed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(train.output.contains("artifact build/pipeline/model.pkl:"))
    #expect(train.output.contains(digest))
    let report = try String(contentsOfFile: run.junit, encoding: .utf8)
    #expect(report.contains(#"<property name="model.digest" value="\#(digest)"/>"#))
    #expect(run.cases["area_under_roc is at least 0.75"]?.passed == true)
    #expect(
      run.cases["pipeline step 'validate data' succeeds"]?.output.contains("anomaly_status = false")
        == true)
  }

  @Test func aFailingMiddleStepSkipsTheRestAndTheModelItWouldBuild() async throws {
    try? FileManager.default.removeItem(atPath: TestEnvironment.path("build/pipeline"))
    let run = try await ReportCase.run(
      PipelineTests.suite, environment: ["MLGATE_PIPELINE_FAIL": "prepare"])
    #expect(run.result.status == 1)
    let prepare = try #require(run.cases["pipeline step 'prepare data' succeeds"])
    #expect(prepare.failure == "step 'prepare data' exited with status 1 (expected 0)")
    #expect(prepare.details.contains("KeyError"), "the tail of stderr is in the report")
    #expect(run.cases["pipeline step 'validate data' succeeds"]?.passed == true)
    #expect(
      run.cases["pipeline step 'train' succeeds"]?.skipped
        == "not run: the earlier step 'prepare data' failed")
    let quality = try #require(run.cases["accuracy is at least 0.7"]?.skipped)
    #expect(quality.contains("the pipeline step 'prepare data' failed"))
  }

  /// A one-step suite whose step is `python3 -c SCRIPT`, run in-process.
  func runStep(_ script: String, extra: String = "", directory: String) async throws -> CheckResult
  {
    let argv = ["python3", "-c", script]
    // JSON strings are YAML double-quoted scalars: the script's newlines survive.
    let quoted = try argv.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    let text = """
      version: 1
      name: steps
      tests:
        integration:
          pipeline:
            - name: step
              run: [\(quoted.joined(separator: ", "))]
      \(extra)
      """
    let path = directory + "/suite.yml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let suite = try SuiteLoader().load(path: path)
    let reporter = RecordingReporter()
    _ = await Runner(suite: suite, options: .init(handleSignals: false), reporters: [reporter])
      .run()
    return try #require(reporter.finished.first)
  }

  @Test func aStepPastItsTimeoutIsStoppedWithWhateverItStarted() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let started = ContinuousClock.now
    // The step forks a child that would outlive it, then hangs.
    let script =
      "import os,time,sys; pid=os.fork()\nif pid==0:\n  time.sleep(60); sys.exit(0)\nopen('child.pid','w').write(str(pid)); print('started', flush=True); time.sleep(60)"
    let result = try await runStep(
      script, extra: "        timeout: 4s\n        working_directory: .", directory: directory)
    #expect(ContinuousClock.now - started < .seconds(40))
    guard case .failed(let message, _) = result.outcome else {
      Issue.record("expected a failure, got \(result.outcome)")
      return
    }
    #expect(message.contains("ran past its timeout of 4.0s and was stopped"))
    let pid = try #require(Int32(String(contentsOfFile: directory + "/child.pid", encoding: .utf8)))
    try await Task.sleep(for: .milliseconds(200))
    // Gone, or a zombie waiting for a container's init to reap it: not running either way.
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    let state = stat.split(separator: ")").last?.split(separator: " ").first
    #expect(stat.isEmpty || state == "Z", "the step's child process is still running: \(stat)")
  }

  @Test func aFloodingStepKeepsOnlyTheTailOfItsOutput() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let result = try await runStep(
      "import sys\nfor i in range(300000): sys.stdout.write('x'*50 + str(i) + '\\n')\nsys.stdout.write('END')",
      directory: directory)
    #expect(result.outcome == .passed)
    #expect(result.summary.utf8.count < 10_000)
    #expect(result.summary.contains("299999\nEND"))
  }

  @Test func outputsAndArtifactsAreJudged() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    try "old".write(toFile: directory + "/stale.bin", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: directory + "/stale.bin"
    )
    let script =
      "import json; json.dump({'metrics': {'auc': 0.64}, 'ok': True}, open('out.json','w')); open('empty.bin','w')"
    let cases: [(String, String)] = [
      (
        "outputs: { file: out.json, expect: { metrics.auc: [0.7, lower] } }",
        "output metrics.auc = 0.64, expected at least 0.7"
      ),
      ("outputs: { file: out.json, expect: { ok: false } }", "output ok = true, expected false"),
      (
        "outputs: { file: out.json, expect: { missing: 1 } }",
        "wrote no output 'missing' in out.json"
      ),
      ("artifacts: [nothing.bin]", "did not create the artifact nothing.bin"),
      ("artifacts: [empty.bin]", "left the artifact empty.bin empty"),
      (
        "artifacts: [stale.bin]",
        "did not write the artifact stale.bin: it was last changed before the step started"
      ),
      ("expect_exit: 3", "exited with status 0 (expected 3)"),
    ]
    for (extra, expected) in cases {
      let result = try await runStep(
        script, extra: "        working_directory: \(directory)\n        \(extra)",
        directory: directory)
      guard case .failed(let message, _) = result.outcome else {
        Issue.record("\(extra): expected a failure, got \(result.outcome)")
        continue
      }
      #expect(message.contains(expected), "\(extra): \(message)")
    }
    let passing = try await runStep(
      script,
      extra:
        "        working_directory: \(directory)\n        outputs: { file: out.json, expect: { metrics.auc: { threshold: [0.6, lower] }, ok: true } }",
      directory: directory)
    #expect(passing.outcome == .passed, "\(passing.summary)")
  }

  @Test(arguments: [
    ("run: python3 x.py", "'run' must be a list of arguments"),
    ("run: [python3]\n        outputs: { file: o.json }", "'outputs' needs 'expect:'"),
    (
      "run: [python3]\n        outputs: { file: o.json, expect: { auc: { threshold: 0.7 } } }",
      "say which side the bound is"
    ),
    ("run: [python3]\n        timout: 5s", "did you mean 'timeout'"),
    (
      "name: a\n        run: [python3]\n      - name: a\n        run: [python3]",
      "a step named 'a' is already defined"
    ),
  ])
  func mistakesInAStepAreSuiteErrorsAtTheirLine(_ step: String, _ expected: String) throws {
    let text = "version: 1\nname: s\ntests:\n  integration:\n    pipeline:\n      - \(step)\n"
    #expect {
      _ = try SuiteLoader().parse(text: text, file: "s.yml", directory: "/tmp")
    } throws: { error in
      let message = "\(error)"
      return message.contains(expected) && message.hasPrefix("s.yml:")
    }
  }

  @Test func aModelArtifactNoStepBuildsMustExist() throws {
    let text = """
      version: 1
      name: s
      task: binary-classification
      model: { command: [python3, serve.py], artifact: build/none.pkl }
      tests:
        integration:
          pipeline:
            - { run: [python3, train.py], artifacts: [build/other.pkl] }
      """
    #expect {
      _ = try SuiteLoader().parse(text: text, file: "s.yml", directory: "/tmp")
    } throws: { error in
      "\(error)".contains("s.yml:4:") && "\(error)".contains("no pipeline step lists it")
    }
    let built = text.replacingOccurrences(of: "build/other.pkl", with: "build/none.pkl")
    _ = try SuiteLoader().parse(text: built, file: "s.yml", directory: "/tmp")
  }

  /// A secret a step is given and prints, and a secret in a test's name, appear in neither the
  /// console, the report nor the plot.
  @Test func secretsLeaveThroughNoOutput() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let secret = "s3cr3t-\(UUID().uuidString.prefix(8))"
    try "epoch,loss\n0,1.0\n1,0.8\n2,0.7\n3,0.65\n4,0.6\n5,0.58\n".write(
      toFile: directory + "/h.csv", atomically: true, encoding: .utf8)
    let suite = """
      version: 1
      name: secrets
      tests:
        convergence:
          - { name: "loss of ${MLGATE_TEST_TOKEN} converges", log: h.csv }
        integration:
          pipeline:
            - name: print the token
              run: [python3, -c, "import os; print('token is', os.environ['MY_TOKEN'])"]
              env: { MY_TOKEN: "${MLGATE_TEST_TOKEN}" }
      """
    try suite.write(toFile: directory + "/s.yml", atomically: true, encoding: .utf8)
    let junit = directory + "/r.xml"
    let result = try await runProgram(
      TestEnvironment.binary, ["run", directory + "/s.yml", "--junit", junit, "--no-color"],
      environment: ["MLGATE_TEST_TOKEN": secret])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let report = try String(contentsOfFile: junit, encoding: .utf8)
    #expect(report.contains("token is ***"))
    let plot = try String(contentsOfFile: directory + "/r.convergence-1-loss.svg", encoding: .utf8)
    #expect(plot.contains("loss of *** converges"))
    for text in [report, plot, result.stdout, result.stderr] {
      #expect(!text.contains(secret))
    }
  }
}
