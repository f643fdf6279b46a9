import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
  import Glibc
#endif

/// Runs one pipeline step to its end: argv without a shell, in its own session, with a
/// deadline, keeping only the tail of its output.
///
/// Whatever the step started (a helper it forked) is killed with its process group when the
/// step ends, on every path: exit, timeout, or mlgate's own interruption (``ChildProcesses``).
/// Output is read as it comes and only the last ``tailBytes`` of each stream are kept, so a step
/// that floods or never ends a line cannot fill memory.
package struct StepProcess: Sendable {
  /// How the step ended.
  package enum Status: Sendable, Equatable {
    /// It exited with this code.
    case exited(Int32)
    /// A signal killed it.
    case signaled(Int32)
    /// It ran past its timeout and was killed.
    case timedOut
    /// It could not be started (no such program, no permission).
    case notStarted(String)
  }

  /// What the step did.
  package struct Outcome: Sendable {
    /// How it ended.
    package var status: Status
    /// The last bytes of its standard output.
    package var stdout: String
    /// The last bytes of its standard error.
    package var stderr: String
    /// How long it ran.
    package var duration: Duration
  }

  /// The program and its arguments.
  package var argv: [String]
  /// Variables added to mlgate's environment.
  package var environment: [String: String]
  /// The working directory.
  package var workingDirectory: String
  /// The longest the step may run.
  package var timeout: Duration
  /// How much of each stream is kept.
  package var tailBytes = 64 << 10

  /// Creates a step.
  package init(
    argv: [String], environment: [String: String], workingDirectory: String, timeout: Duration
  ) {
    self.argv = argv
    self.environment = environment
    self.workingDirectory = workingDirectory
    self.timeout = timeout
  }

  /// Runs the step and waits for it (and its streams) to end.
  package func run() async -> Outcome {
    let clock = ContinuousClock()
    let started = clock.now
    let shared = Mutex<(pid: Int32?, timedOut: Bool)>((nil, false))
    let limit = timeout
    let watchdog = Task {
      do { try await Task.sleep(for: limit) } catch { return }
      let pid = shared.withLock { state -> Int32? in
        state.timedOut = true
        return state.pid
      }
      if let pid { ChildProcesses.kill(group: pid) }
    }
    defer { watchdog.cancel() }
    var options = PlatformOptions()
    options.createSession = true
    var updates: [Environment.Key: String?] = [:]
    for (name, value) in environment {
      if let key = Environment.Key(rawValue: name) { updates[key] = value }
    }
    let executable: Executable = argv[0].contains("/") ? .path(FilePath(argv[0])) : .name(argv[0])
    let keep = tailBytes
    do {
      let result = try await Subprocess.run(
        executable, arguments: Arguments(Array(argv.dropFirst())),
        environment: .inherit.updating(updates), workingDirectory: FilePath(workingDirectory),
        platformOptions: options, input: .none, output: .sequence, error: .sequence
      ) { execution in
        let pid = execution.processIdentifier.value
        ChildProcesses.insert(pid)
        let late = shared.withLock { state -> Bool in
          state.pid = pid
          return state.timedOut
        }
        if late { ChildProcesses.kill(group: pid) }
        async let out = StepProcess.tail(of: execution.standardOutput, keep: keep)
        async let err = StepProcess.tail(of: execution.standardError, keep: keep)
        let streams = await (out, err)
        ChildProcesses.kill(group: pid)
        ChildProcesses.remove(pid)
        return streams
      }
      let timedOut = shared.withLock { $0.timedOut }
      let status: Status
      switch result.terminationStatus {
      case .exited(let code): status = timedOut ? .timedOut : .exited(code)
      case .signaled(let signal): status = timedOut ? .timedOut : .signaled(signal)
      }
      return Outcome(
        status: status, stdout: result.closureResult.0, stderr: result.closureResult.1,
        duration: clock.now - started)
    } catch {
      return Outcome(
        status: .notStarted("\(error)"), stdout: "", stderr: "", duration: clock.now - started)
    }
  }

  /// The last `keep` bytes of a stream, as text.
  private static func tail(of stream: SubprocessOutputSequence, keep: Int) async -> String {
    var bytes: [UInt8] = []
    do {
      for try await chunk in stream {
        chunk.withUnsafeBytes { bytes.append(contentsOf: $0) }
        if bytes.count > 2 * keep { bytes.removeFirst(bytes.count - keep) }
      }
    } catch {}
    if bytes.count > keep { bytes.removeFirst(bytes.count - keep) }
    return String(decoding: bytes, as: UTF8.self)
  }
}
