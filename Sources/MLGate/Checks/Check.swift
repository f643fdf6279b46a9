/// One test of a suite: it runs against a shared ``RunContext`` and says how it went.
///
/// Checks do not throw for a failed expectation: that is ``CheckOutcome/failed(message:details:)``.
/// They throw when they cannot be evaluated (the model is down, the data is bad), and the
/// runner turns that into an `<error>`. Checks never read files or start models themselves:
/// they ask the context, so the same check runs against a process, an endpoint or a snapshot.
package protocol Check: Sendable {
  /// The category the check belongs to: the JUnit class.
  var category: CategoryName { get }
  /// A sentence saying what must hold, e.g. "accuracy is at least 0.8".
  var name: String { get }
  /// Columns of the test data the check needs beside the predictions (group or slice columns);
  /// the context keeps them next to the scored rows.
  var keptColumns: [String] { get }
  /// When the check runs: with the others, or after every other check has finished.
  var phase: CheckPhase { get }
  /// Runs the check.
  func run(_ context: RunContext) async throws -> CheckReport
}

extension Check {
  package var keptColumns: [String] { [] }
  package var phase: CheckPhase { .main }
}

/// When a check runs.
package enum CheckPhase: Int, Sendable, Comparable, CaseIterable {
  /// Before everything else, in suite order: pipeline steps, which may build the model.
  case first
  /// With the other categories, concurrently.
  case main
  /// Once every main check has finished: checks that judge what the others sent (the output
  /// contract) or that may break the model (bad input).
  case last

  package static func < (lhs: CheckPhase, rhs: CheckPhase) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a check found.
package struct CheckReport: Sendable {
  /// The verdict.
  package var outcome: CheckOutcome
  /// A short summary for the console and `<system-out>`: figures, interval, n.
  package var summary: String

  /// Creates a report.
  package init(outcome: CheckOutcome, summary: String) {
    self.outcome = outcome
    self.summary = summary
  }
}

/// The verdict of one check, as Jenkins will show it.
package enum CheckOutcome: Sendable, Equatable {
  /// The expectation holds.
  case passed
  /// The check ran and the expectation does not hold. `message` is one line with figures.
  case failed(message: String, details: String)
  /// The check could not be evaluated.
  case error(kind: ErrorKind, message: String, details: String)
  /// Not run or not decidable; `inconclusive` when the evidence is too thin to decide.
  case skipped(message: String, inconclusive: Bool)
}

/// Why a check could not be evaluated: the JUnit `<error type>`, and what the exit status says.
package enum ErrorKind: String, Sendable, CaseIterable {
  /// The model or endpoint could not be started or reached, crashed, hung, or broke the protocol.
  case infrastructure
  /// The model answered with an error (it is still running).
  case model
  /// A data file is unreadable or inconsistent.
  case data
  /// The suite asks for something that cannot be done.
  case suite
  /// mlgate itself failed, or was interrupted.
  case harness

  /// Whether the user must fix the suite or data (exit 2) rather than the model (exit 3).
  package var isUsageError: Bool { self == .data || self == .suite }
}
