import Foundation

/// Where the tests find the package, Python and the built `mlgate` binary.
enum TestEnvironment {
  /// The package root.
  static let root: URL = {
    (try? XMLFixtures.packageRoot())
      ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  }()

  /// A path under the package root.
  static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

  /// The Python with scikit-learn: `MLGATE_PYTHON`, else the repository's `.venv`.
  static let python: String? = {
    if let set = ProcessInfo.processInfo.environment["MLGATE_PYTHON"], !set.isEmpty { return set }
    let venv = path(".venv/bin/python3")
    return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
  }()

  /// Tests that need Python run when it is there, and must run when `MLGATE_REQUIRE_PYTHON=1`
  /// (as `ci/test` sets): then a missing Python fails them instead of skipping them.
  static var pythonTestsEnabled: Bool {
    python != nil || ProcessInfo.processInfo.environment["MLGATE_REQUIRE_PYTHON"] == "1"
  }

  /// Real-server tests run when `ci/test` started the servers (their URLs are set), and must run
  /// (fail rather than skip) when `MLGATE_REQUIRE_SERVERS=1`, as `ci/test` sets.
  static var serverTestsEnabled: Bool {
    let environment = ProcessInfo.processInfo.environment
    return environment["MLGATE_MLSERVER_URL"] != nil || environment["MLGATE_REQUIRE_SERVERS"] == "1"
  }

  /// The built `mlgate` executable, next to the test bundle.
  static let binary: String = {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var candidates = [here.appendingPathComponent("mlgate").path]
    candidates.append(path(".build/debug/mlgate"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
  }()

  /// A fresh temporary directory.
  static func temporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "mlgate-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }
}

/// The outcome of running a program in a test.
struct ProgramResult {
  var status: Int32
  var stdout: String
  var stderr: String
  var signalled: Bool
}

/// Runs a program with a time limit (killed past it), capturing its output.
func runProgram(
  _ executable: String, _ arguments: [String], environment: [String: String] = [:],
  directory: String? = nil,
  timeLimit: TimeInterval = 60, onStart: ((Process) async -> Void)? = nil
) async throws -> ProgramResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  var env = ProcessInfo.processInfo.environment
  if let python = TestEnvironment.python {
    env["PATH"] =
      URL(fileURLWithPath: python).deletingLastPathComponent().path + ":"
      + (env["PATH"] ?? "/usr/bin:/bin")
  }
  for (key, value) in environment { env[key] = value }
  process.environment = env
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  let outData = LockedData()
  let errData = LockedData()
  out.fileHandleForReading.readabilityHandler = { outData.append($0.availableData) }
  err.fileHandleForReading.readabilityHandler = { errData.append($0.availableData) }
  try process.run()
  await onStart?(process)
  let deadline = Date().addingTimeInterval(timeLimit)
  // Poll with Task.sleep: blocking a cooperative thread would starve the other tests' timers.
  while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
  if process.isRunning {
    process.interrupt()
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }
  process.waitUntilExit()
  out.fileHandleForReading.readabilityHandler = nil
  err.fileHandleForReading.readabilityHandler = nil
  outData.append(out.fileHandleForReading.readDataToEndOfFile())
  errData.append(err.fileHandleForReading.readDataToEndOfFile())
  return ProgramResult(
    status: process.terminationStatus, stdout: outData.string, stderr: errData.string,
    signalled: process.terminationReason == .uncaughtSignal)
}

/// Bytes appended from several threads.
final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  func append(_ more: Data) { lock.lock(); data.append(more); lock.unlock() }
  var string: String {
    lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self)
  }
}
