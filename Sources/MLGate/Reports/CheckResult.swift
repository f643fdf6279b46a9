import Foundation

/// The result of one check in a run: what the reporters write.
package struct CheckResult: Sendable {
  /// The category: the JUnit class.
  package var category: CategoryName
  /// The check's sentence: the JUnit test name.
  package var name: String
  /// The verdict.
  package var outcome: CheckOutcome
  /// Wall time of the check.
  package var duration: Duration
  /// Figures for the console and `<system-out>`.
  package var summary: String

  /// Creates a result.
  package init(
    category: CategoryName, name: String, outcome: CheckOutcome, duration: Duration, summary: String
  ) {
    self.category = category
    self.name = name
    self.outcome = outcome
    self.duration = duration
    self.summary = summary
  }
}

/// Everything a run produced: the input to every reporter.
package struct RunReport: Sendable {
  /// The suite's name.
  package var suiteName: String
  /// Categories in the order they were run.
  package var categories: [CategoryName]
  /// The results, in the order they finished.
  package var results: [CheckResult]
  /// Provenance and run facts: written as suite properties.
  package var properties: [(name: String, value: String)]
  /// When the run started (seconds since 1970, UTC).
  package var startedAt: Double
  /// Wall time of the whole run.
  package var duration: Duration
  /// The machine's name.
  package var hostname: String
  /// The signal that interrupted the run (`SIGINT`, `SIGTERM`), if one did.
  package var interruption: String?
  /// The reports that could not be written, each with the path and the reason.
  package var unwritten: [ReportWriteError] = []

  /// Counts per outcome.
  package var counts: (passed: Int, failed: Int, errors: Int, skipped: Int) {
    var counts = (passed: 0, failed: 0, errors: 0, skipped: 0)
    for result in results {
      switch result.outcome {
      case .passed: counts.passed += 1
      case .failed: counts.failed += 1
      case .error: counts.errors += 1
      case .skipped: counts.skipped += 1
      }
    }
    return counts
  }

  /// The process exit status this report calls for.
  package var exitStatus: ExitStatus {
    // A report that could not be written leaves the gate blind: never a pass.
    var status = unwritten.isEmpty ? ExitStatus.passed : .infrastructureError
    for result in results {
      switch result.outcome {
      case .error(let kind, _, _):
        status = max(status, kind.isUsageError ? .suiteError : .infrastructureError)
      case .failed: status = max(status, .failed)
      default: break
      }
    }
    return status
  }
}

/// mlgate's exit statuses.
package enum ExitStatus: Int32, Sendable, Comparable {
  /// Every check passed (skips allowed).
  case passed = 0
  /// At least one check failed.
  case failed = 1
  /// Usage, suite or data error.
  case suiteError = 2
  /// The model or an endpoint could not be reached or misbehaved.
  case infrastructureError = 3

  /// Which status wins when several apply: a suite or data error (fix it first), then an
  /// infrastructure error, then a failed check.
  private var rank: Int {
    switch self {
    case .passed: return 0
    case .failed: return 1
    case .infrastructureError: return 2
    case .suiteError: return 3
    }
  }

  package static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.rank < rhs.rank }
}

extension RunReport {
  /// The report of a run that could not start: one `setup` case holding the error, so Jenkins
  /// shows why rather than "no test report files were found".
  package static func setupFailure(suiteName: String, message: String, kind: ErrorKind)
    -> RunReport
  {
    RunReport(
      suiteName: suiteName, categories: [.setup],
      results: [
        CheckResult(
          category: .setup, name: "suite loads and the model answers",
          outcome: .error(kind: kind, message: message, details: ""), duration: .zero, summary: "")
      ],
      properties: [("mlgate.version", MLGateVersion.current)],
      startedAt: Date().timeIntervalSince1970,
      duration: .zero, hostname: Provenance.hostname)
  }
}
