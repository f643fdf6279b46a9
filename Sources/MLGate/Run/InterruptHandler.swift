import Dispatch
import Foundation
import Synchronization

/// Catches SIGINT and SIGTERM so that the report is still written and the models stopped.
///
/// The handler runs on its own dispatch queue while the run's tasks are stuck wherever they
/// are; it writes what is known so far, kills every model process group, and exits with
/// 128 + the signal number, as a shell would.
final class InterruptHandler: @unchecked Sendable {
  /// Set once a signal arrived: from then on only the handler writes reports and exits.
  static let interrupted = Atomic<Bool>(false)

  // Written once in init, then only cancelled: safe to share.
  private let sources: [any DispatchSourceSignal]

  init(onSignal: @escaping @Sendable (Int32) -> Void) {
    let queue = DispatchQueue(label: "mlgate.signals")
    var made: [any DispatchSourceSignal] = []
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler {
        // The flag first: killing the models below lets the run's own flow finish, and it must
        // not overwrite this report with one that blames the models.
        InterruptHandler.interrupted.store(true, ordering: .sequentiallyConsistent)
        onSignal(number)
        ChildProcesses.killAll()
        exit(128 + number)
      }
      source.resume()
      made.append(source)
    }
    sources = made
  }

  /// Never returns once a signal arrived (the handler is about to exit the process).
  static func parkIfInterrupted() async {
    while interrupted.load(ordering: .sequentiallyConsistent) {
      try? await Task.sleep(for: .seconds(1))
    }
  }

  /// Restores the default handling.
  func cancel() {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}
