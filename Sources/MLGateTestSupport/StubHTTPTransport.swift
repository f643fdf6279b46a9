package import MLGateHTTP
import Synchronization

/// An in-memory ``HTTPTransport`` for tests: answers with a closure and records each request.
package final class StubHTTPTransport: HTTPTransport {
  /// The closure that answers a request.
  package typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse

  private let handler: Handler
  private let recorded = Mutex<[HTTPRequest]>([])

  /// Creates a stub transport.
  ///
  /// - Parameter handler: Answers each request, or throws (typically an ``HTTPError``).
  package init(_ handler: @escaping Handler) {
    self.handler = handler
  }

  /// The requests sent so far, oldest first.
  package var requests: [HTTPRequest] {
    recorded.withLock { $0 }
  }

  /// Records the request and answers it with the handler.
  ///
  /// - Parameter request: The request to send.
  /// - Returns: The handler's response.
  /// - Throws: Whatever the handler throws.
  package func send(_ request: HTTPRequest) async throws -> HTTPResponse {
    recorded.withLock { $0.append(request) }
    return try await handler(request)
  }
}
