import Foundation
import Synchronization

/// Prints one line per check as it finishes, a progress line while scoring, and the closing
/// counts `N passed, N failed, N errors, N skipped`.
///
/// Colour only on a terminal, never with `NO_COLOR` set or `TERM=dumb`. Progress goes to stderr
/// and only on a terminal, so logs in Jenkins stay clean. Every line passes through one output
/// function that redacts secrets; a closed stdout drops the lines and never stops the run.
package final class ConsoleReporter: Reporter {
  private let colour: Bool
  private let progressOnTerminal: Bool
  private let secrets: SecretStore
  private let lastProgress = Mutex<Double>(0)
  private let output: @Sendable (String) -> Void

  /// Creates a console reporter writing to stdout.
  package init(secrets: SecretStore, colour: Bool? = nil) {
    let environment = ProcessInfo.processInfo.environment
    let terminal = isatty(STDOUT_FILENO) == 1
    let noColour =
      (environment["NO_COLOR"].map { !$0.isEmpty } ?? false) || environment["TERM"] == "dumb"
    self.colour = colour ?? (terminal && !noColour)
    progressOnTerminal = isatty(STDERR_FILENO) == 1
    self.secrets = secrets
    output = { text in StandardStream.output.write(secrets.redact(text)) }
  }

  /// Creates a console reporter that hands its lines to `output` (for tests).
  init(secrets: SecretStore, colour: Bool, output: @escaping @Sendable (String) -> Void) {
    self.colour = colour
    progressOnTerminal = false
    self.secrets = secrets
    self.output = { text in output(secrets.redact(text)) }
  }

  private func paint(_ text: String, _ code: String) -> String {
    colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  package func runStarted(suite: Suite, model: String) {
    output(
      "mlgate \(MLGateVersion.current) · suite \(suite.name) · \(model) · seed \(suite.seed)\n")
  }

  package func scoringProgress(rows: Int) {
    guard progressOnTerminal else { return }
    let now = Date().timeIntervalSince1970
    let due = lastProgress.withLock { last -> Bool in
      guard now - last >= 0.1 else { return false }
      last = now
      return true
    }
    if due { StandardStream.error.write("\r  scoring… \(rows) rows\u{1B}[K") }
  }

  package func checkFinished(_ result: CheckResult) {
    if progressOnTerminal { StandardStream.error.write("\r\u{1B}[K") }
    let label: String
    var detail = result.summary.split(separator: "\n").first.map(String.init) ?? ""
    switch result.outcome {
    case .passed: label = paint("PASS ", "32")
    case .failed(let message, _):
      label = paint("FAIL ", "31;1")
      detail = message
    case .error(let kind, let message, _):
      label = paint("ERROR", "35;1")
      detail = "\(kind.rawValue): \(message)"
    case .skipped(let message, let inconclusive):
      label = paint(inconclusive ? "INCON" : "SKIP ", "33")
      detail = message
    }
    let time = paint("(\(TextFormat.short(result.duration)))", "2")
    output("\(label) \(result.category)  \(result.name)  \(detail) \(time)\n")
  }

  package func runFinished(_ report: RunReport) throws {
    let counts = report.counts
    if let signal = report.interruption {
      output(
        paint(
          "interrupted by \(signal): the checks not finished are errors in the report", "31;1")
          + "\n")
    }
    var line = "\(counts.passed) passed, \(counts.failed) failed"
    line += ", \(counts.errors) errors, \(counts.skipped) skipped"
    let painted = counts.failed + counts.errors > 0 ? paint(line, "31;1") : paint(line, "32;1")
    output("\(painted) in \(TextFormat.short(report.duration))\n")
  }
}
