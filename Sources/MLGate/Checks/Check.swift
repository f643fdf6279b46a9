/// One test of a suite: it runs against a shared ``RunContext`` and says how it went.
///
/// Checks do not throw for a failed expectation: that is ``CheckOutcome/failed(message:details:)``.
/// They throw when they cannot be evaluated (the model is down, the data is bad), and the
/// runner turns that into an `<error>`.
public protocol Check: Sendable {
  /// The category (`quality`, …): the JUnit class.
  var category: String { get }
  /// A sentence saying what must hold, e.g. "accuracy is at least 0.8".
  var name: String { get }
  /// Runs the check.
  func run(_ context: RunContext) async throws -> CheckReport
}

/// What a check found.
public struct CheckReport: Sendable {
  /// The verdict.
  public var outcome: CheckOutcome
  /// A short summary for the console and `<system-out>`: figures, interval, n.
  public var summary: String

  /// Creates a report.
  public init(outcome: CheckOutcome, summary: String) {
    self.outcome = outcome
    self.summary = summary
  }
}

/// The verdict of one check, as Jenkins will show it.
public enum CheckOutcome: Sendable, Equatable {
  /// The expectation holds.
  case passed
  /// The check ran and the expectation does not hold. `message` is one line with figures.
  case failed(message: String, details: String)
  /// The check could not be evaluated. `kind`: infrastructure, model, data, suite, harness.
  case error(kind: String, message: String, details: String)
  /// Not run or not decidable; `inconclusive` when the evidence is too thin to decide.
  case skipped(message: String, inconclusive: Bool)
}
