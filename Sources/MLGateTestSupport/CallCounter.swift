import Synchronization

/// A count incremented from any thread.
package final class CallCounter: Sendable {
  private let count = Mutex(0)

  /// Creates a counter at zero.
  package init() {}

  /// Adds one.
  package func increment() { count.withLock { $0 += 1 } }

  /// The count so far.
  package var value: Int { count.withLock { $0 } }
}
