import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
  import Glibc
#endif

/// A model served by a long-running local process speaking JSON Lines.
///
/// mlgate writes one request per line to the process's stdin,
/// `{"id": 1, "rows": [{"feature": value, …}, …]}`, and reads one answer per line from its
/// stdout, `{"id": 1, "predictions": […], "probabilities": [[…]], "classes": […]}` or
/// `{"id": 1, "error": "…"}`. The process is started without a shell, in its own session. A
/// process that exits, does not answer within the timeout, or writes anything else is stopped
/// and every later prediction fails at once with the same ``ModelError``: never a hang.
///
/// `predict` may be called concurrently: requests are written in order and each waits for the
/// answer with its own id (or, from a model that echoes no id, the oldest unanswered request).
/// The timeout runs for the oldest unanswered request, from when it became the oldest, so a
/// queue of requests for a sequential process does not eat into each one's time.
package final class CommandModel: Model {
  /// The program and its arguments.
  package let argv: [String]
  private let environment: [String: String]
  private let workingDirectory: String
  private let timeout: Duration
  private let startTimeout: Duration
  private let maxAnswerBytes: Int
  private let state = Mutex(State())
  private let requests: AsyncStream<[UInt8]>
  private let requestSink: AsyncStream<[UInt8]>.Continuation

  private struct Pending {
    var continuation: CheckedContinuation<Result<JSONValue, ModelError>, Never>
    var rows: Int
  }

  private struct State {
    var started = false
    var answered = false
    var nextID = 1
    var pid: Int32?
    /// Unanswered requests by id; `queue` holds their ids oldest first.
    var pending: [Int: Pending] = [:]
    var queue: [Int] = []
    /// The timeout of the oldest unanswered request.
    var timer: Task<Void, Never>?
    var failure: ModelError?
    var stderrTail: [UInt8] = []
    var runner: Task<Void, Never>?
    var stopping = false
  }

  package var displayName: String { "command " + argv.joined(separator: " ") }

  /// Two batches in flight: the process still scores one at a time, but the next request is
  /// already in its pipe while mlgate decodes the last answer and encodes the one after.
  package var maxConcurrency: Int { 2 }

  /// Creates a command model; nothing starts until the first prediction.
  package init(
    argv: [String], environment: [String: String] = [:], workingDirectory: String,
    timeout: Duration, startTimeout: Duration,
    maxAnswerBytes: Int = ModelConfig.defaultMaxAnswerBytes
  ) {
    self.maxAnswerBytes = maxAnswerBytes
    self.argv = argv
    self.environment = environment
    self.workingDirectory = workingDirectory
    self.timeout = timeout
    self.startTimeout = startTimeout
    (requests, requestSink) = AsyncStream<[UInt8]>.makeStream()
  }

  deinit {
    requestSink.finish()
    if let pid = state.withLock({ $0.pid }) { ChildProcesses.kill(group: pid) }
  }

  package func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
    startIfNeeded()
    var writer = JSONWriter(
      capacity: 64 + batch.rows.count * batch.featureNames.count * 12, for: batch)
    let id = state.withLock { state -> Int in
      defer { state.nextID += 1 }
      return state.nextID
    }
    writer.raw("{\"id\":")
    writer.number(Double(id))
    writer.raw(",\"rows\":")
    writer.records(batch)
    writer.raw("}\n")
    let answer = try await exchange(id: id, line: writer.bytes, rows: batch.rows.count).get()
    if let error = answer["error"], error != .null {
      let text: String
      if case .string(let message) = error { text = message } else { text = "\(error)" }
      throw ModelError(
        .model, "the model refused the batch: \(TextFormat.trimmed(text, limit: 300))")
    }
    return try PredictionDecoder.decode(
      predictions: answer["predictions"], probabilities: answer["probabilities"],
      classes: answer["classes"], rows: batch.rows.count)
  }

  package func shutdown() async {
    requestSink.finish()
    let runner = state.withLock { state -> Task<Void, Never>? in
      state.stopping = true
      return state.runner
    }
    guard let runner else { return }
    // A model that ignores the end of its input is killed after a grace period. The pid is read
    // when the watchdog fires: the process may not have existed yet when shutdown began.
    let watchdog = Task { [weak self] in
      while !Task.isCancelled {
        do { try await Task.sleep(for: .seconds(3)) } catch { return }
        if let pid = self?.state.withLock({ $0.pid }) { ChildProcesses.kill(group: pid) }
      }
    }
    await runner.value
    watchdog.cancel()
  }

  // MARK: - Exchange

  private func exchange(id: Int, line: [UInt8], rows: Int) async -> Result<JSONValue, ModelError> {
    await withCheckedContinuation { continuation in
      let refused = state.withLock { state -> ModelError? in
        if let failure = state.failure { return failure }
        state.pending[id] = Pending(continuation: continuation, rows: rows)
        state.queue.append(id)
        if state.queue.count == 1 { armTimer(&state) }
        // Written in the order queued, so that answers without an id match the oldest request.
        requestSink.yield(line)
        return nil
      }
      if let refused { continuation.resume(returning: .failure(refused)) }
    }
  }

  /// Starts the timeout of the oldest unanswered request (and stops the previous one).
  private func armTimer(_ state: inout State) {
    state.timer?.cancel()
    state.timer = nil
    guard let id = state.queue.first, let rows = state.pending[id]?.rows else { return }
    let limit = state.answered ? timeout : startTimeout
    state.timer = Task { [weak self] in
      do { try await Task.sleep(for: limit) } catch { return }
      self?.timedOut(id: id, after: limit, rows: rows)
    }
  }

  private func timedOut(id: Int, after limit: Duration, rows: Int) {
    stop { state in
      guard state.queue.first == id else { return nil }
      let phase =
        state.answered
        ? "" : " (start-up included; raise 'start_timeout' if the model loads slowly)"
      return
        "the model did not answer a batch of \(rows) rows within \(TextFormat.short(limit))\(phase); it was stopped"
    }
  }

  /// The model wrote more than `maxAnswerBytes` without a line end: it fails, and is stopped.
  private func overflow() {
    stop { _ in
      "the model wrote more than \(TextFormat.bytes(maxAnswerBytes)) without a line end; it was stopped (raise 'max_answer_mb' if its answers are really that large)"
    }
  }

  /// Fails the model with the message `reason` gives (nil: nothing to stop), kills its process
  /// group, and fails every unanswered request with the same error.
  private func stop(_ reason: (State) -> String?) {
    let stopped = state.withLock { state -> ([Pending], ModelError, Int32?)? in
      guard state.failure == nil, let message = reason(state) else { return nil }
      let failure = ModelError(
        .infrastructure, message, detail: CommandModel.stderrText(state.stderrTail))
      state.failure = failure
      return (CommandModel.takeAll(&state), failure, state.pid)
    }
    guard let (pending, failure, pid) = stopped else { return }
    if let pid { ChildProcesses.kill(group: pid) }
    for request in pending { request.continuation.resume(returning: .failure(failure)) }
  }

  /// Every unanswered request, oldest first, leaving none.
  private static func takeAll(_ state: inout State) -> [Pending] {
    let all = state.queue.compactMap { state.pending[$0] }
    state.pending.removeAll()
    state.queue.removeAll()
    state.timer?.cancel()
    state.timer = nil
    return all
  }

  private func deliver(line: [UInt8]) {
    let parsed: Result<JSONValue, JSONParseError>
    do { parsed = .success(try JSONParser.parse(line)) } catch { parsed = .failure(error) }
    var killPid: Int32?
    let resume = state.withLock { state -> (Pending, Result<JSONValue, ModelError>)? in
      let shown = TextFormat.trimmed(String(decoding: line, as: UTF8.self), limit: 200)
      func broken(_ message: String) -> ModelError {
        let error = ModelError(
          .infrastructure, message,
          detail: "output line: \(shown)\n" + CommandModel.stderrText(state.stderrTail))
        state.failure = state.failure ?? error
        killPid = state.pid
        return error
      }
      guard let oldest = state.queue.first else {
        _ = broken(
          "the model wrote a line to stdout without being asked (log to stderr, not stdout): '\(shown)'"
        )
        return nil
      }
      // The answer's own id when it names an unanswered request, else the oldest request.
      var id = oldest
      if case .success(let value) = parsed, let answerID = value["id"]?.numberValue,
        answerID == answerID.rounded(), abs(answerID) < 1e15, state.pending[Int(answerID)] != nil
      {
        id = Int(answerID)
      }
      guard let pending = state.pending.removeValue(forKey: id) else { return nil }
      state.queue.removeAll { $0 == id }
      switch parsed {
      case .failure(let error):
        return (
          pending,
          .failure(
            broken("the model answered with something that is not JSON (\(error)): '\(shown)'"))
        )
      case .success(let value):
        guard case .object = value else {
          return (
            pending,
            .failure(
              broken(
                "the model answered \(value.kindName), expected a JSON object with 'predictions'"))
          )
        }
        if let answerID = value["id"], answerID != .null, answerID != .number(Double(id)) {
          let shownID = answerID.numberValue.map(DataValue.labelText) ?? "\(answerID.kindName)"
          return (
            pending,
            .failure(broken("the model answered request id \(shownID) to request \(id)"))
          )
        }
        state.answered = true
        armTimer(&state)
        return (pending, .success(value))
      }
    }
    if let killPid { ChildProcesses.kill(group: killPid) }
    if let (pending, result) = resume { pending.continuation.resume(returning: result) }
  }

  private func appendStderr(_ bytes: UnsafeRawBufferPointer) {
    state.withLock { state in
      state.stderrTail.append(contentsOf: bytes)
      if state.stderrTail.count > 16_384 {
        state.stderrTail.removeFirst(state.stderrTail.count - 8_192)
      }
    }
  }

  static func stderrText(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: "\n")
    return text.isEmpty ? "" : "model stderr (last lines):\n" + TextFormat.tail(text, limit: 4_000)
  }

  // MARK: - Process

  private func startIfNeeded() {
    let start = state.withLock { state -> Bool in
      guard !state.started else { return false }
      state.started = true
      return true
    }
    guard start else { return }
    // Writing a request to a model that has just died must fail with EPIPE, not kill mlgate.
    signal(SIGPIPE, SIG_IGN)
    let task = Task { [self] in await runProcess() }
    state.withLock { $0.runner = task }
  }

  private func runProcess() async {
    var options = PlatformOptions()
    options.createSession = true
    var updates: [Environment.Key: String?] = ["MLGATE_PROTOCOL": "1"]
    for (name, value) in environment {
      if let key = Environment.Key(rawValue: name) { updates[key] = value }
    }
    let executable: Executable = argv[0].contains("/") ? .path(FilePath(argv[0])) : .name(argv[0])
    let outcome: String
    do {
      let result = try await run(
        executable, arguments: Arguments(Array(argv.dropFirst())),
        environment: .inherit.updating(updates), workingDirectory: FilePath(workingDirectory),
        platformOptions: options, input: .inputWriter, output: .sequence, error: .sequence
      ) { execution in
        let pid = execution.processIdentifier.value
        ChildProcesses.insert(pid)
        // A timeout or shutdown may have come before the process existed: stop it at once.
        let doomed = self.state.withLock { state -> Bool in
          state.pid = pid
          return state.failure != nil || state.stopping
        }
        if doomed { ChildProcesses.kill(group: pid) }
        await withTaskGroup(of: Void.self) { group in
          group.addTask {
            do {
              for try await chunk in execution.standardError {
                chunk.withUnsafeBytes { self.appendStderr($0) }
              }
            } catch {}
          }
          group.addTask {
            var lines = LineBuffer(limit: self.maxAnswerBytes)
            var overflowed = false
            do {
              for try await chunk in execution.standardOutput where !overflowed {
                let kept = chunk.withUnsafeBytes { raw in
                  lines.feed(raw) { self.deliver(line: $0) }
                }
                if !kept {
                  // An answer without end must not fill memory: stop the model now.
                  overflowed = true
                  self.overflow()
                }
              }
            } catch {}
            if !overflowed { lines.finish { self.deliver(line: $0) } }
            self.requestSink.finish()
          }
          for await request in self.requests {
            do { _ = try await execution.standardInputWriter.write(request) } catch { break }
          }
          _ = try? await execution.standardInputWriter.finish()
          await group.waitForAll()
        }
        // Whatever the model started in its session (a helper it forked) ends with it.
        ChildProcesses.kill(group: pid)
        ChildProcesses.remove(pid)
      }
      switch result.terminationStatus {
      case .exited(let code): outcome = "exited with status \(code)"
      case .signaled(let signal): outcome = "was killed by signal \(signal)"
      }
    } catch {
      outcome = "could not be started: \(error)"
      state.withLock { state in
        state.failure =
          state.failure
          ?? ModelError(
            .infrastructure, "the model command '\(argv[0])' could not be started: \(error)")
      }
    }
    let (pending, failure) = state.withLock { state -> ([Pending], ModelError?) in
      let waiting = CommandModel.takeAll(&state)
      state.pid = nil
      if state.failure == nil {
        let when = waiting.isEmpty ? "" : " before answering"
        state.failure = ModelError(
          .infrastructure, "the model process \(outcome)\(when)",
          detail: CommandModel.stderrText(state.stderrTail))
      }
      return (waiting, state.failure)
    }
    if let failure {
      for request in pending { request.continuation.resume(returning: .failure(failure)) }
    }
  }
}
