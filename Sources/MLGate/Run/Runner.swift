import Foundation
import Synchronization

/// Runs a suite's checks against its models and hands the results to the reporters.
///
/// Never throws: whatever goes wrong becomes an `<error>` case in the report, and the report is
/// always written, on SIGINT/SIGTERM too. Categories run concurrently (the context computes
/// shared figures once); the checks of a category run in order; results are reported in suite
/// order.
package struct Runner: Sendable {
  /// Choices from the command line.
  package struct Options: Sendable {
    /// Categories to run (nil: all).
    package var only: Set<CategoryName>?
    /// Only checks whose name contains one of these texts (nil: all).
    package var nameFilters: [String]?
    /// Handle SIGINT/SIGTERM by writing the report (off in tests).
    package var handleSignals: Bool
    /// Where checks write files beside the report (plots).
    package var attachments: ReportAttachments?

    /// Creates options.
    package init(
      only: Set<CategoryName>? = nil, nameFilters: [String]? = nil, handleSignals: Bool = true,
      attachments: ReportAttachments? = nil
    ) {
      self.attachments = attachments
      self.only = only
      self.nameFilters = nameFilters
      self.handleSignals = handleSignals
    }
  }

  let suite: Suite
  let options: Options
  let reporters: [any Reporter]

  /// Creates a runner.
  package init(suite: Suite, options: Options = Options(), reporters: [any Reporter]) {
    self.suite = suite
    self.options = options
    self.reporters = reporters
  }

  /// The checks a suite defines, in order, after the command line's filters.
  package static func checks(of suite: Suite, options: Options = Options()) -> [any Check] {
    suite.tests.checks.filter { check in
      (options.only?.contains(check.category) ?? true)
        && (options.nameFilters.map { filters in
          filters.contains { check.name.localizedCaseInsensitiveContains($0) }
        } ?? true)
    }
  }

  /// The models a suite describes, by role; nothing starts until a check asks for predictions.
  static func models(of suite: Suite) -> [ModelRole: any Model] {
    var models: [ModelRole: any Model] = [:]
    for role in ModelRole.allCases { models[role] = model(of: suite, role: role) }
    return models
  }

  /// The model playing `role`, if the suite configures one.
  static func model(of suite: Suite, role: ModelRole = .candidate) -> (any Model)? {
    guard let task = suite.task, let config = suite.models[role] else { return nil }
    return model(config, task: task, suite: suite)
  }

  /// A model reached as `config` says, predicting `task`.
  static func model(_ config: ModelConfig, task: TaskKind, suite: Suite) -> any Model {
    switch config.access {
    case .command(let argv, let environment, let workingDirectory):
      return CommandModel(
        argv: argv, environment: environment, workingDirectory: workingDirectory,
        timeout: config.timeout, startTimeout: config.startTimeout,
        maxAnswerBytes: config.maxAnswerBytes)
    case .endpoint(let endpoint):
      return EndpointModel(
        config: endpoint, task: task, timeout: config.timeout, classes: config.classes,
        seed: suite.seed, secrets: suite.secrets)
    case .snapshot(let path, let display):
      return SnapshotModel(path: path, displayName: display)
    }
  }

  /// Runs every check and returns the report after every reporter has had it.
  package func run() async -> RunReport {
    signal(SIGPIPE, SIG_IGN)
    let clock = ContinuousClock()
    let started = clock.now
    let startedAt = Date().timeIntervalSince1970
    let models = Runner.models(of: suite)
    let checks = Runner.checks(of: suite, options: options)
    let categories = checks.reduce(into: [CategoryName]()) {
      if !$0.contains($1.category) { $0.append($1.category) }
    }
    let reporters = self.reporters
    var keep: [String] = []
    for column in checks.flatMap(\.keptColumns) where !keep.contains(column) {
      keep.append(column)
    }
    let context = RunContext(
      suite: suite, models: models, keep: keep, attachments: options.attachments
    ) { rows in
      for reporter in reporters { reporter.scoringProgress(rows: rows) }
    }
    let base = await baseProperties(models: models)
    let board = ResultBoard(count: checks.count)
    let suite = self.suite
    @Sendable func report(
      _ results: [CheckResult], _ properties: [(name: String, value: String)],
      interruption: String? = nil
    ) -> RunReport {
      RunReport(
        suiteName: suite.name, categories: categories, results: results, properties: properties,
        startedAt: startedAt, duration: clock.now - started, hostname: Provenance.hostname,
        interruption: interruption)
    }
    let interrupts: InterruptHandler? =
      options.handleSignals
      ? InterruptHandler { number in
        let reason = number == SIGINT ? "SIGINT" : "SIGTERM"
        let results = board.all { position in
          CheckResult(
            category: checks[position].category, name: checks[position].name,
            outcome: .error(
              kind: .harness,
              message: "mlgate was interrupted by \(reason) before this check finished",
              details: ""),
            duration: .zero, summary: "")
        }
        let final = report(results, base, interruption: reason)
        for reporter in reporters {
          do {
            try reporter.runFinished(final)
          } catch {
            StandardStream.error.write("error: \(Runner.writeError(error))\n")
          }
        }
      } : nil
    let modelName = models[.candidate].map { suite.secrets.redact($0.displayName) } ?? "no model"
    for reporter in reporters { reporter.runStarted(suite: suite, model: modelName) }
    var setup: [CheckResult] = []
    if checks.isEmpty {
      let result = CheckResult(
        category: .setup, name: "suite loads and the model answers",
        outcome: .error(
          kind: .suite, message: "no check matches the filters given (--only, -k)", details: ""),
        duration: .zero, summary: "")
      setup.append(result)
      for reporter in reporters { reporter.checkFinished(result) }
    }
    // Categories run concurrently (they share nothing but the context); the checks of one
    // category run in order, since they mostly share its figures: the first bears their cost.
    // Checks of the last phase start once every main check has finished.
    for phase in CheckPhase.allCases {
      let lanes = Dictionary(
        grouping: checks.indices.filter { checks[$0].phase == phase }, by: { checks[$0].category })
      await withTaskGroup(of: Void.self) { group in
        for category in categories {
          guard let positions = lanes[category] else { continue }
          group.addTask {
            for position in positions {
              let check = checks[position]
              let checkStarted = clock.now
              let outcome: CheckOutcome
              var summary = ""
              do {
                let found = try await check.run(context)
                outcome = found.outcome
                summary = found.summary
              } catch {
                outcome = Runner.outcome(for: error)
              }
              let result = CheckResult(
                category: check.category, name: check.name, outcome: outcome,
                duration: clock.now - checkStarted, summary: summary)
              let ready = board.finish(position, result)
              // Once a signal arrived, the handler owns the console and the report: a check that
              // ends because its model was killed must not contradict them.
              guard !InterruptHandler.interrupted.load(ordering: .sequentiallyConsistent) else {
                return
              }
              for result in ready {
                for reporter in reporters { reporter.checkFinished(result) }
              }
            }
          }
        }
      }
    }
    // Again: a pipeline step may have built the model artifact since the run began.
    var properties = await baseProperties(models: models)
    for role in ModelRole.allCases {
      guard let model = models[role] else { continue }
      let found = await model.reportProperties()
      properties +=
        role == .candidate ? found : found.map { ("\(role.propertyPrefix).\($0.name)", $0.value) }
      await model.shutdown()
    }
    await InterruptHandler.parkIfInterrupted()
    if let scored = await context.scoredTestData {
      properties.append(("data.test", scored.file.displayName))
      properties.append(
        ("data.test.digest", Provenance.digest(ofFile: scored.file.path) ?? "unknown"))
      properties.append(("data.test.rows", "\(scored.rows)"))
      properties.append(("scoring.seconds", TextFormat.seconds(scored.duration)))
    }
    var final = report(setup + board.all { _ in nil }, properties)
    interrupts?.cancel()
    for reporter in reporters {
      do {
        try reporter.runFinished(final)
      } catch {
        let failure = Runner.writeError(error)
        final.unwritten.append(failure)
        StandardStream.error.write("error: \(failure)\n")
      }
    }
    return final
  }

  private func baseProperties(models: [ModelRole: any Model]) async -> [(
    name: String, value: String
  )] {
    var properties: [(name: String, value: String)] = [
      ("mlgate.version", MLGateVersion.current),
      ("suite.file", suite.file),
      ("suite.digest", suite.digest),
      ("seed", "\(suite.seed)"),
    ]
    if let task = suite.task { properties.append(("task", task.rawValue)) }
    for role in ModelRole.allCases {
      guard let model = models[role], let config = suite.models[role] else { continue }
      let prefix = role.propertyPrefix
      properties.append((prefix, suite.secrets.redact(model.displayName)))
      if let artifact = config.artifact {
        properties.append(("\(prefix).digest", Provenance.digest(ofFile: artifact) ?? "unknown"))
      } else {
        properties.append(
          ("\(prefix).digest", "unknown (set \(prefix).artifact in the suite)"))
      }
    }
    let directory = URL(fileURLWithPath: suite.file).deletingLastPathComponent().path
    properties.append(
      ("git.commit", await Provenance.gitCommit(in: directory.isEmpty ? "." : directory)))
    return properties
  }

  /// A reporter's failure as a ``ReportWriteError``.
  package static func writeError(_ error: any Error) -> ReportWriteError {
    error as? ReportWriteError ?? ReportWriteError(path: "the report", reason: "\(error)")
  }

  /// The `<error>` for something that stopped a check.
  static func outcome(for error: any Error) -> CheckOutcome {
    switch error {
    case let scoring as ScoringError:
      switch scoring {
      case .data(let data): return .error(kind: .data, message: data.description, details: "")
      case .suite(let message): return .error(kind: .suite, message: message, details: "")
      case .harness(let message): return .error(kind: .harness, message: message, details: "")
      case .skipped(let reason): return .skipped(message: reason, inconclusive: false)
      case .model(let model):
        return .error(kind: model.kind.errorKind, message: model.message, details: model.detail)
      }
    case let model as ModelError:
      return .error(kind: model.kind.errorKind, message: model.message, details: model.detail)
    default:
      return .error(
        kind: .harness, message: "mlgate failed inside this check: \(error)", details: "")
    }
  }
}

/// The results of a run's checks by position: finished out of order, released in order.
private final class ResultBoard: Sendable {
  private struct State {
    var results: [CheckResult?]
    var released = 0
  }

  private let state: Mutex<State>

  init(count: Int) { state = Mutex(State(results: Array(repeating: nil, count: count))) }

  /// Records the result at `position`; returns the results now ready to report, in order.
  func finish(_ position: Int, _ result: CheckResult) -> [CheckResult] {
    state.withLock { state in
      state.results[position] = result
      var ready: [CheckResult] = []
      while state.released < state.results.count, let next = state.results[state.released] {
        ready.append(next)
        state.released += 1
      }
      return ready
    }
  }

  /// Every result in order; `missing` stands in for checks not finished (or drops them: nil).
  func all(_ missing: (Int) -> CheckResult?) -> [CheckResult] {
    let results = state.withLock { $0.results }
    return results.enumerated().compactMap { position, result in result ?? missing(position) }
  }
}
