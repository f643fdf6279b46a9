/// One HTTP request and the limits that apply to it.
///
/// A value type: build it once and send it any number of times, from any task.
package struct HTTPRequest: Sendable, Equatable {
  /// The default cap on a response body: 64 MiB.
  package static let defaultMaxResponseBytes = 64 << 20

  /// The request method, for example `GET` or `POST`.
  package var method: String

  /// The absolute `http` or `https` URL.
  package var url: String

  /// Header fields to send, in order; duplicates are sent as given.
  ///
  /// Without an explicit `Content-Type`, a request with a body is sent as
  /// `application/octet-stream`. `Expect: 100-continue` is suppressed unless given here.
  package var headers: [HTTPHeader]

  /// The request body, or `nil` for none.
  package var body: [UInt8]?

  /// The limit on the whole transfer, from connecting to the last body byte.
  ///
  /// The clock starts when the transfer starts, not while it waits for a free slot in the
  /// transport's queue.
  package var timeout: Duration

  /// The limit on establishing the connection, including DNS and the TLS handshake.
  package var connectTimeout: Duration

  /// Fails the transfer when it moves less than 1 byte per second for this long; `nil` disables.
  package var stallTimeout: Duration?

  /// The largest response body accepted; larger ones fail with ``HTTPError/Kind/responseTooLarge``.
  package var maxResponseBytes: Int

  /// TLS verification and client-certificate settings.
  package var tls: TLSOptions

  /// Whether to offer compressed responses (gzip, deflate, brotli, zstd) and decode them.
  package var acceptEncoding: Bool

  /// Whether to follow redirects (at most 10, `http` and `https` only).
  package var followRedirects: Bool

  /// Creates a request.
  ///
  /// - Parameters:
  ///   - method: The request method, for example `GET` or `POST`.
  ///   - url: The absolute `http` or `https` URL.
  ///   - headers: Header fields to send, in order.
  ///   - body: The request body, or `nil` for none.
  ///   - timeout: The limit on the whole transfer.
  ///   - connectTimeout: The limit on establishing the connection.
  ///   - stallTimeout: How long the transfer may move less than 1 byte per second, or `nil`.
  ///   - maxResponseBytes: The largest response body accepted.
  ///   - tls: TLS verification and client-certificate settings.
  ///   - acceptEncoding: Whether to offer and decode compressed responses.
  ///   - followRedirects: Whether to follow redirects.
  package init(
    method: String = "GET",
    url: String,
    headers: [HTTPHeader] = [],
    body: [UInt8]? = nil,
    timeout: Duration = .seconds(30),
    connectTimeout: Duration = .seconds(10),
    stallTimeout: Duration? = nil,
    maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes,
    tls: TLSOptions = TLSOptions(),
    acceptEncoding: Bool = true,
    followRedirects: Bool = false
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
    self.connectTimeout = connectTimeout
    self.stallTimeout = stallTimeout
    self.maxResponseBytes = maxResponseBytes
    self.tls = tls
    self.acceptEncoding = acceptEncoding
    self.followRedirects = followRedirects
  }
}
