/// A failed HTTP exchange: no complete response arrived.
///
/// HTTP error statuses are not errors at this level; they arrive as an ``HTTPResponse``. The
/// message keeps libcurl's wording, for example
/// `curl error 7: Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server`.
package struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The category of a failure.
  package enum Kind: Sendable, Hashable, CustomStringConvertible {
    /// The transfer ran past its timeout or stalled (`CURLE_OPERATION_TIMEDOUT`).
    case timeout
    /// The connection could not be established (`CURLE_COULDNT_CONNECT`).
    case connect
    /// The host name did not resolve.
    case dns
    /// The TLS handshake or certificate verification failed.
    case tls
    /// The response body exceeded ``HTTPRequest/maxResponseBytes``.
    case responseTooLarge
    /// The task was cancelled or the transport shut down before the response arrived.
    case cancelled
    /// The request itself is malformed: bad URL, unsupported scheme, bad header or method.
    case invalidRequest
    /// Any other failure: reset connections, truncated bodies, protocol errors.
    case transport

    /// The kind's name, for example `timeout`.
    package var description: String {
      switch self {
      case .timeout: "timeout"
      case .connect: "connect"
      case .dns: "dns"
      case .tls: "tls"
      case .responseTooLarge: "responseTooLarge"
      case .cancelled: "cancelled"
      case .invalidRequest: "invalidRequest"
      case .transport: "transport"
      }
    }
  }

  /// The category of the failure.
  package var kind: Kind

  /// The libcurl `CURLcode`, or `0` when the failure did not come from libcurl.
  package var curlCode: Int

  /// A one-line explanation, starting `curl error N:` when it came from libcurl.
  package var message: String

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - kind: The category of the failure.
  ///   - curlCode: The libcurl `CURLcode`, or `0`.
  ///   - message: A one-line explanation.
  package init(kind: Kind, curlCode: Int = 0, message: String) {
    self.kind = kind
    self.curlCode = curlCode
    self.message = message
  }

  /// The message.
  package var description: String { message }
}

extension HTTPError {
  /// The error for a request whose task was cancelled.
  static let cancelled = HTTPError(kind: .cancelled, message: "request cancelled")

  /// The error for a request sent to, or still pending in, a transport that shut down.
  static let shutDown = HTTPError(kind: .cancelled, message: "HTTP transport shut down")

  /// The kind of failure a libcurl `CURLcode` stands for.
  ///
  /// `CURLE_WRITE_ERROR` (23) maps to ``Kind/transport``; the transfer itself knows whether it
  /// aborted the write for size.
  ///
  /// - Parameter curlCode: The numeric `CURLcode`.
  /// - Returns: The matching kind.
  static func kind(forCurlCode curlCode: Int) -> Kind {
    switch curlCode {
    case 28: .timeout
    case 7: .connect
    case 5, 6: .dns
    case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98: .tls
    case 63: .responseTooLarge
    case 42: .cancelled
    case 1, 3: .invalidRequest
    default: .transport
    }
  }
}
