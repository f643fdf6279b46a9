/// A complete HTTP response with its timing.
///
/// Every status, including 4xx and 5xx, arrives as a response; only transport failures throw.
package struct HTTPResponse: Sendable, Equatable {
  /// The status code of the final response, for example `200`.
  package var status: Int

  /// The header fields of the final response, in order received.
  package var headers: [HTTPHeader]

  /// The body, decoded when the server compressed it and the request accepted encodings.
  package var body: [UInt8]

  /// The protocol version used: `"1.0"`, `"1.1"`, `"2"` or `"3"`.
  package var httpVersion: String

  /// The time from the start of the transfer to its end.
  package var totalTime: Duration

  /// The time from the start of the transfer until connected (TLS included); zero when reused.
  package var connectTime: Duration

  /// The time from the start of the transfer until the first response byte.
  package var timeToFirstByte: Duration

  /// Whether the transfer reused an open connection instead of opening one.
  package var reusedConnection: Bool

  /// Creates a response, for example in a fake transport.
  ///
  /// - Parameters:
  ///   - status: The status code.
  ///   - headers: The header fields.
  ///   - body: The body bytes.
  ///   - httpVersion: The protocol version, for example `"1.1"`.
  ///   - totalTime: The time the whole transfer took.
  ///   - connectTime: The time until connected.
  ///   - timeToFirstByte: The time until the first response byte.
  ///   - reusedConnection: Whether an open connection was reused.
  package init(
    status: Int,
    headers: [HTTPHeader] = [],
    body: [UInt8] = [],
    httpVersion: String = "1.1",
    totalTime: Duration = .zero,
    connectTime: Duration = .zero,
    timeToFirstByte: Duration = .zero,
    reusedConnection: Bool = false
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.httpVersion = httpVersion
    self.totalTime = totalTime
    self.connectTime = connectTime
    self.timeToFirstByte = timeToFirstByte
    self.reusedConnection = reusedConnection
  }

  /// The value of a header field, matched case-insensitively; the last one when repeated.
  ///
  /// - Parameter name: The field name, in any case.
  /// - Returns: The value, or `nil` when the response has no such field.
  package func header(_ name: String) -> String? {
    headers.last { $0.hasName(name) }?.value
  }

  /// All values of a header field, matched case-insensitively, in order received.
  ///
  /// - Parameter name: The field name, in any case.
  /// - Returns: The values; empty when the response has no such field.
  package func headers(named name: String) -> [String] {
    headers.filter { $0.hasName(name) }.map(\.value)
  }
}
