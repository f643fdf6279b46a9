import Dispatch
import Foundation

/// Catches SIGINT and SIGTERM so that the report is still written and the models stopped.
///
/// The handler runs on its own dispatch queue while the run's tasks are stuck wherever they
/// are; it writes what is known so far, kills every model process group, and exits with
/// 128 + the signal number, as a shell would.
final class InterruptHandler: @unchecked Sendable {
  // Written once in init, then only cancelled: safe to share.
  private let sources: [any DispatchSourceSignal]

  init(onSignal: @escaping @Sendable (Int32) -> Void) {
    let queue = DispatchQueue(label: "mlgate.signals")
    var made: [any DispatchSourceSignal] = []
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler {
        onSignal(number)
        ChildProcesses.killAll()
        exit(128 + number)
      }
      source.resume()
      made.append(source)
    }
    sources = made
  }

  /// Restores the default handling.
  func cancel() {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}
