import Synchronization

/// The hand-off between a task awaiting ``CurlTransport/send(_:)`` and the loop thread.
///
/// The ticket owns the task's continuation and guarantees that it is resumed exactly once:
/// by the loop thread with the outcome, by a cancellation that arrives before submission, or by
/// the transport shutting down. It is shared between threads, so its state sits in a `Mutex`.
final class CurlRequestTicket: Sendable {
  /// The request to perform.
  let request: HTTPRequest

  private let state = Mutex(State())

  private struct State {
    var continuation: CheckedContinuation<HTTPResponse, any Error>?
    var cancelled = false
    var finished = false
  }

  /// Creates a ticket for a request.
  ///
  /// - Parameter request: The request to perform.
  init(request: HTTPRequest) {
    self.request = request
  }

  /// Whether the awaiting task asked to cancel.
  var isCancelled: Bool {
    state.withLock { $0.cancelled }
  }

  /// Stores the continuation to resume later.
  ///
  /// - Parameter continuation: The awaiting task's continuation.
  /// - Returns: `false` when the task was already cancelled; the continuation has then been
  ///   resumed with a cancellation error and the ticket must not be submitted.
  func install(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
    let cancelledEarly = state.withLock { state in
      if state.cancelled {
        state.finished = true
        return true
      }
      state.continuation = continuation
      return false
    }
    if cancelledEarly {
      continuation.resume(throwing: HTTPError.cancelled)
      return false
    }
    return true
  }

  /// Marks the ticket cancelled.
  ///
  /// - Returns: `true` when the ticket is submitted and unfinished, so the loop thread must be
  ///   told to abandon it; `false` when ``install(_:)`` or the loop will notice on its own.
  func cancel() -> Bool {
    state.withLock { state in
      guard !state.finished else { return false }
      state.cancelled = true
      return state.continuation != nil
    }
  }

  /// Resumes the awaiting task with an outcome; later calls do nothing.
  ///
  /// - Parameter result: The response or the error.
  func finish(_ result: Result<HTTPResponse, HTTPError>) {
    let continuation = state.withLock { state in
      let continuation = state.continuation
      state.continuation = nil
      state.finished = true
      return continuation
    }
    continuation?.resume(with: result)
  }
}
