/// An ``HTTPTransport`` on libcurl's multi interface: one connection pool, one loop thread.
///
/// Requests from any number of tasks are queued to a dedicated thread that drives every
/// transfer with `curl_multi_perform` and `curl_multi_poll`. Connections are kept alive and
/// reused; HTTPS servers that offer HTTP/2 get multiplexed streams. At most `maxConnections`
/// transfers run at once; the rest wait in the transport's own queue, where their timeouts do
/// not yet run.
///
/// Call ``shutdown()`` before the process exits (before `main` returns); `deinit` does it too.
package final class CurlTransport: HTTPTransport {
  private let loop: CurlMultiLoop?

  /// Creates a transport and starts its loop thread.
  ///
  /// If libcurl cannot initialise, the transport is created anyway and every request fails
  /// with ``HTTPError/Kind/transport``.
  ///
  /// - Parameter maxConnections: The most transfers in flight at once, which bounds the open
  ///   connections; at least 1.
  package init(maxConnections: Int = 16) {
    loop = CurlMultiLoop.start(maxConnections: maxConnections)
  }

  deinit {
    loop?.shutdown()
  }

  /// Sends a request and waits for the complete response.
  ///
  /// Cancelling the calling task abandons the transfer promptly.
  ///
  /// - Parameter request: The request to send.
  /// - Returns: The response, whatever its status code.
  /// - Throws: ``HTTPError``; ``HTTPError/Kind/cancelled`` when the task was cancelled or the
  ///   transport shut down.
  package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    guard let loop else {
      throw HTTPError(kind: .transport, message: "libcurl failed to initialise")
    }
    let ticket = CurlRequestTicket(request: request)
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        guard ticket.install(continuation) else { return }
        if !loop.submit(ticket) {
          ticket.finish(.failure(.shutDown))
        }
      }
    } onCancel: {
      if ticket.cancel() {
        loop.cancel(ticket)
      }
    }
  }

  /// Stops the loop thread, fails requests still pending, and frees libcurl's resources.
  ///
  /// Blocks until the loop thread has ended. Idempotent; requests sent afterwards fail with
  /// ``HTTPError/Kind/cancelled``.
  package func shutdown() {
    loop?.shutdown()
  }
}
