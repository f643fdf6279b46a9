import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// The binary as a user runs it, in a hostile environment.
///
/// Report paths that are devices or folders, a closed stdout, a model that forks, floods or
/// hangs, data without line ends, and a suite whose strings are secrets. Each ends with the documented exit code, a clear one-line
/// message, a report where the path allows one, and no process left behind.
@Suite(.serialized) struct HostileEnvironmentTests {
  /// The release binary when `ci/test` built it (as users get it), else the debug one.
  static let binary: String = {
    let release = TestEnvironment.path(".build/release/mlgate")
    return FileManager.default.isExecutableFile(atPath: release) ? release : TestEnvironment.binary
  }()

  /// A regression model over `x` that answers `x`; `extra` is Python run before serving.
  static func echoModel(_ extra: String = "") -> String {
    """
    import json, os, sys, time
    \(extra)
    for line in sys.stdin:
        request = json.loads(line)
        answer = {"id": request["id"], "predictions": [row["x"] for row in request["rows"]]}
        sys.stdout.write(json.dumps(answer) + "\\n")
        sys.stdout.flush()
    """
  }

  /// A folder with `data.csv` (x, y = x), `model.py` and `mlgate.yml`; the suite's path.
  func suite(model: String = echoModel(), suiteExtra: String = "", modelExtra: String = "")
    throws -> String
  {
    let directory = try TestEnvironment.temporaryDirectory()
    var data = "x,y\n"
    for row in 0..<200 { data += "\(row % 13),\(row % 13)\n" }
    try data.write(toFile: directory + "/data.csv", atomically: true, encoding: .utf8)
    try model.write(toFile: directory + "/model.py", atomically: true, encoding: .utf8)
    let text = """
      name: hostile
      task: regression
      label: y
      data: { test: data.csv }
      model:
        command: [python3, model.py]
        timeout: 10s
      \(modelExtra.isEmpty ? "" : "  " + modelExtra)
      \(suiteExtra)
      tests: { quality: { r2: 0.5 } }
      """
    try text.write(toFile: directory + "/mlgate.yml", atomically: true, encoding: .utf8)
    return directory + "/mlgate.yml"
  }

  func run(_ arguments: [String], environment: [String: String] = [:]) async throws
    -> ProgramResult
  {
    try await runProgram(Self.binary, arguments, environment: environment, timeLimit: 60)
  }

  /// The stated bound on mlgate's memory when its input has no end.
  static let memoryBoundKiB = 300 * 1024

  /// Runs mlgate under GNU time (`ci/setup` installs it); the result and the peak resident
  /// memory in KiB.
  func runMeasured(_ arguments: [String]) async throws -> (ProgramResult, Int) {
    let time = "/usr/bin/time"
    try #require(FileManager.default.isExecutableFile(atPath: time), "no GNU time: run ci/setup")
    let out = try TestEnvironment.temporaryDirectory() + "/rss"
    let result = try await runProgram(
      time, ["-f", "%M", "-o", out, Self.binary] + arguments, timeLimit: 60)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    let kib = Int(text.split(separator: "\n").last.map(String.init) ?? "") ?? Int.max
    return (result, kib)
  }

  @Test func aReportOnDevNullLeavesTheDeviceAlone() async throws {
    let result = try await run(["run", try suite(), "--junit", "/dev/null"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    var info = stat()
    #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
  }

  @Test(
    "a report that cannot be written is exit 3 with the path and the reason",
    arguments: [
      ("/dev/full", "cannot write the report to '/dev/full': No space left on device"),
      ("DIRECTORY", "it is a directory"),
      ("/proc/mlgate-report.xml", "cannot write the report to '/proc/mlgate-report.xml': "),
    ])
  func unwritableReports(path: String, message: String) async throws {
    let folder = try TestEnvironment.temporaryDirectory()
    let target = path == "DIRECTORY" ? folder : path
    let result = try await run(["run", try suite(), "--junit", target])
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(!result.stdout.contains("report: "))
  }

  @Test func aClosedStdoutNeitherStopsTheRunNorLosesTheReport() async throws {
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments = ["run", try suite(), "--junit", junit]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try output.fileHandleForReading.close()
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 0)
    let root = try XMLDocumentReader.parse(path: junit)
    #expect(root.attribute("tests") == "1")
    #expect(root.attribute("failures") == "0")
  }

  @Test func whatTheModelForkedEndsWithTheRun() async throws {
    let tag = UUID().uuidString
    let forking = Self.echoModel(
      """
      if os.fork() == 0:
          null = os.open(os.devnull, os.O_RDWR)
          for fd in (0, 1, 2):
              os.dup2(null, fd)
          time.sleep(300)
          os._exit(0)
      """)
    let result = try await run(
      ["run", try suite(model: forking, modelExtra: "env: { MLGATE_TEST_TAG: \(tag) }")],
      environment: [:])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    var left = CommandLineTests.processes(taggedWith: tag)
    for _ in 0..<50 where !left.isEmpty {
      try await Task.sleep(for: .milliseconds(100))
      left = CommandLineTests.processes(taggedWith: tag)
    }
    #expect(left.isEmpty, "processes left behind: \(left)")
  }

  @Test func aModelThatNeverEndsALineIsStoppedAtTheCap() async throws {
    let flood = """
      import sys
      sys.stdin.readline()
      chunk = "x" * 65536
      while True:
          sys.stdout.write(chunk)
          sys.stdout.flush()
      """
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let (result, kib) = try await runMeasured(
      ["run", try suite(model: flood, modelExtra: "max_answer_mb: 1"), "--junit", junit])
    #expect(kib < Self.memoryBoundKiB, "peak memory \(kib) KiB")
    #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("the model wrote more than 1 MiB without a line end"))
    let error = cases(try XMLDocumentReader.parse(path: junit)).first?.firstChild(named: "error")
    #expect(error?.attribute("type") == "infrastructure")
  }

  @Test func dataWithoutLineEndsIsADataErrorAtTheCap() async throws {
    let path = try suite()
    let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
      of: "data: { test: data.csv }", with: "data: { test: /dev/zero, max_line_mb: 1 }")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let (result, kib) = try await runMeasured(["run", path, "--junit", junit])
    #expect(kib < Self.memoryBoundKiB, "peak memory \(kib) KiB")
    #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("/dev/zero:1: a line is longer than 1 MiB"), "\(result.stdout)")
  }

  @Test func aSecretInAnyFieldNeverLeavesTheProcess() async throws {
    let secret = "s3cr3t-v4lue-\(UUID().uuidString.prefix(8))"
    let environment = ["MLGATE_TEST_TOKEN": secret]
    let crashing = """
      import sys
      sys.stderr.write("starting with " + sys.argv[1] + "\\n")
      sys.exit(3)
      """
    for model in [Self.echoModel(), crashing] {
      let path = try suite(model: model)
      var text = try String(contentsOfFile: path, encoding: .utf8)
      text = text.replacingOccurrences(of: "name: hostile", with: "name: leak-${MLGATE_TEST_TOKEN}")
      text = text.replacingOccurrences(
        of: "command: [python3, model.py]",
        with: "command: [python3, model.py, \"${MLGATE_TEST_TOKEN}\"]\n  artifact: data.csv")
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
      let result = try await run(["run", path, "--junit", junit], environment: environment)
      let report = try String(contentsOfFile: junit, encoding: .utf8)
      #expect(report.contains("leak-"))
      for (place, text) in [
        ("stdout", result.stdout), ("stderr", result.stderr), ("report", report),
      ] {
        #expect(!text.contains(secret), "the secret is in \(place): \(text)")
      }
    }
  }

  @Test(arguments: [
    (SIGINT, "interrupted by SIGINT", 130), (SIGTERM, "interrupted by SIGTERM", 143),
  ])
  func theConsoleSaysARunWasInterruptedAndNothingElse(signal: Int32, says: String, status: Int32)
    async throws
  {
    let hang = """
      import sys, time
      sys.stdin.readline()
      time.sleep(300)
      """
    let junit = try TestEnvironment.temporaryDirectory() + "/r.xml"
    let tag = UUID().uuidString
    let result = try await runProgram(
      Self.binary,
      [
        "run",
        try suite(
          model: hang, modelExtra: "start_timeout: 900s\n  env: { MLGATE_TEST_TAG: \(tag) }"),
        "--junit", junit,
      ],
      timeLimit: 30
    ) { process in
      // The model starts after mlgate installs its handlers: wait for it (bounded by the clock;
      // the model's start-up timeout is far beyond, so the signal always comes first).
      let giveUp = Date().addingTimeInterval(120)
      while Date() < giveUp, CommandLineTests.processes(taggedWith: tag).isEmpty {
        try? await Task.sleep(for: .milliseconds(20))
      }
      kill(process.processIdentifier, signal)
    }
    #expect(result.status == status)
    #expect(result.stdout.contains(says), "\(result.stdout)")
    #expect(!result.stdout.contains("killed by signal"), "\(result.stdout)")
  }

  func cases(_ root: XMLElement) -> [XMLElement] {
    root.children(named: "testsuite").flatMap { $0.children(named: "testcase") }
  }
}
