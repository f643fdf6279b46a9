package import MLGate
import Synchronization

/// A reporter that keeps what it is given, for tests of the runner.
package final class RecordingReporter: Reporter {
  private let state = Mutex<(finished: [CheckResult], report: RunReport?)>(([], nil))

  /// Creates an empty recorder.
  package init() {}

  package func checkFinished(_ result: CheckResult) {
    state.withLock { $0.finished.append(result) }
  }

  package func runFinished(_ report: RunReport) throws {
    state.withLock { $0.report = report }
  }

  /// The results in the order the console saw them.
  package var finished: [CheckResult] { state.withLock { $0.finished } }

  /// The final report.
  package var report: RunReport? { state.withLock { $0.report } }
}
