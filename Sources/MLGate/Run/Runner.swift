import Foundation
import Synchronization

/// Runs a suite's checks against its model and hands the results to the reporters.
///
/// Never throws: whatever goes wrong becomes an `<error>` case in the report, and the report is
/// always written, on SIGINT/SIGTERM too.
public struct Runner: Sendable {
  /// Choices from the command line.
  public struct Options: Sendable {
    /// Categories to run (nil: all).
    public var only: Set<String>?
    /// Only checks whose name contains one of these texts (nil: all).
    public var nameFilters: [String]?
    /// Handle SIGINT/SIGTERM by writing the report (off in tests).
    public var handleSignals: Bool

    /// Creates options.
    public init(only: Set<String>? = nil, nameFilters: [String]? = nil, handleSignals: Bool = true)
    {
      self.only = only
      self.nameFilters = nameFilters
      self.handleSignals = handleSignals
    }
  }

  let suite: Suite
  let options: Options
  let reporters: [any Reporter]

  /// Creates a runner.
  public init(suite: Suite, options: Options = Options(), reporters: [any Reporter]) {
    self.suite = suite
    self.options = options
    self.reporters = reporters
  }

  /// The checks a suite defines, in order, after the command line's filters.
  public static func checks(of suite: Suite, options: Options = Options()) -> [any Check] {
    var checks: [any Check] = []
    if let quality = suite.tests.quality {
      checks += quality.thresholds.map { QualityCheck(threshold: $0, config: quality) }
    }
    return checks.filter { check in
      (options.only?.contains(check.category) ?? true)
        && (options.nameFilters.map { filters in
          filters.contains { check.name.localizedCaseInsensitiveContains($0) }
        } ?? true)
    }
  }

  /// The model a suite describes.
  static func model(of suite: Suite) -> any Model {
    switch suite.model.access {
    case .command(let argv, let environment, let workingDirectory):
      return CommandModel(
        argv: argv, environment: environment, workingDirectory: workingDirectory,
        timeout: suite.model.timeout,
        startTimeout: suite.model.startTimeout)
    case .endpoint(let endpoint):
      return EndpointModel(
        config: endpoint, task: suite.task, timeout: suite.model.timeout,
        classes: suite.model.classes, seed: suite.seed,
        secrets: suite.secrets)
    }
  }

  /// Runs every check and returns the report after every reporter has had it.
  public func run() async -> RunReport {
    signal(SIGPIPE, SIG_IGN)
    let clock = ContinuousClock()
    let started = clock.now
    let startedAt = Date().timeIntervalSince1970
    let model = Runner.model(of: suite)
    let checks = Runner.checks(of: suite, options: options)
    let categories = checks.reduce(into: [String]()) {
      if !$0.contains($1.category) { $0.append($1.category) }
    }
    let reporters = self.reporters
    let context = RunContext(suite: suite, model: model) { rows in
      for reporter in reporters { reporter.scoringProgress(rows: rows) }
    }
    var properties = await baseProperties(model: model)
    let live = Mutex<[CheckResult]>([])
    let base = properties
    @Sendable func report(_ results: [CheckResult], _ properties: [(name: String, value: String)])
      -> RunReport
    {
      RunReport(
        suiteName: suite.name, categories: categories, results: results, properties: properties,
        startedAt: startedAt, duration: clock.now - started, hostname: Provenance.hostname)
    }
    let interrupts: InterruptHandler? =
      options.handleSignals
      ? InterruptHandler { number in
        var results = live.withLock { $0 }
        let done = Set(results.map { "\($0.category)/\($0.name)" })
        let reason = number == SIGINT ? "SIGINT" : "SIGTERM"
        for check in checks where !done.contains("\(check.category)/\(check.name)") {
          results.append(
            CheckResult(
              category: check.category, name: check.name,
              outcome: .error(
                kind: "harness",
                message: "mlgate was interrupted by \(reason) before this check finished",
                details: ""),
              duration: .zero, summary: ""))
        }
        let final = report(results, base)
        for reporter in reporters { try? reporter.runFinished(final) }
      } : nil
    for reporter in reporters {
      reporter.runStarted(suite: suite, model: suite.secrets.redact(model.displayName))
    }
    if checks.isEmpty {
      let result = CheckResult(
        category: "setup", name: "suite loads and the model answers",
        outcome: .error(
          kind: "suite", message: "no check matches the filters given (--only, -k)", details: ""),
        duration: .zero, summary: "")
      live.withLock { $0.append(result) }
      for reporter in reporters { reporter.checkFinished(result) }
    }
    for check in checks {
      let checkStarted = clock.now
      let result: CheckResult
      do {
        let found = try await check.run(context)
        result = CheckResult(
          category: check.category, name: check.name, outcome: found.outcome,
          duration: clock.now - checkStarted,
          summary: found.summary)
      } catch {
        result = CheckResult(
          category: check.category, name: check.name, outcome: Runner.outcome(for: error),
          duration: clock.now - checkStarted, summary: "")
      }
      live.withLock { $0.append(result) }
      for reporter in reporters { reporter.checkFinished(result) }
    }
    properties += await model.reportProperties()
    await model.shutdown()
    await InterruptHandler.parkIfInterrupted()
    if let scored = await context.scoredData {
      properties.append(("data.test", scored.file.displayName))
      properties.append(
        ("data.test.digest", Provenance.digest(ofFile: scored.file.path) ?? "unknown"))
      properties.append(("data.test.rows", "\(scored.rows)"))
      properties.append(("scoring.seconds", TextFormat.seconds(scored.duration)))
    }
    let final = report(live.withLock { $0 }, properties)
    interrupts?.cancel()
    for reporter in reporters {
      do {
        try reporter.runFinished(final)
      } catch {
        FileHandle.standardError.write(Data("error: cannot write the report: \(error)\n".utf8))
      }
    }
    return final
  }

  private func baseProperties(model: any Model) async -> [(name: String, value: String)] {
    var properties: [(name: String, value: String)] = [
      ("mlgate.version", MLGateVersion.current),
      ("suite.file", suite.file),
      ("suite.digest", suite.digest),
      ("seed", "\(suite.seed)"),
      ("task", suite.task.rawValue),
      ("model", suite.secrets.redact(model.displayName)),
    ]
    if let artifact = suite.model.artifact {
      properties.append(("model.digest", Provenance.digest(ofFile: artifact) ?? "unknown"))
    } else {
      properties.append(("model.digest", "unknown (set model.artifact in the suite)"))
    }
    let directory = URL(fileURLWithPath: suite.file).deletingLastPathComponent().path
    properties.append(
      ("git.commit", await Provenance.gitCommit(in: directory.isEmpty ? "." : directory)))
    return properties
  }

  /// The `<error>` for something that stopped a check.
  static func outcome(for error: any Error) -> CheckOutcome {
    switch error {
    case let scoring as ScoringError:
      switch scoring {
      case .data(let data): return .error(kind: "data", message: data.description, details: "")
      case .suite(let message): return .error(kind: "suite", message: message, details: "")
      case .model(let model):
        return .error(kind: model.kind.rawValue, message: model.message, details: model.detail)
      }
    case let model as ModelError:
      return .error(kind: model.kind.rawValue, message: model.message, details: model.detail)
    default:
      return .error(
        kind: "harness", message: "mlgate failed inside this check: \(error)", details: "")
    }
  }
}
