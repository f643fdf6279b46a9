/// Something that sends HTTP requests: libcurl in production, a fake in tests.
package protocol HTTPTransport: Sendable {
  /// Sends a request and waits for the complete response.
  ///
  /// - Parameter request: The request to send.
  /// - Returns: The response, whatever its status code.
  /// - Throws: ``HTTPError`` when no complete response arrived, including on task cancellation.
  func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
