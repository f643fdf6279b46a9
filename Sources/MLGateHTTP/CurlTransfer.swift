internal import CCurl

/// One libcurl easy handle performing one request, with the buffers its callbacks fill.
///
/// Confined to the loop thread: created, driven and destroyed there, and never shared. libcurl
/// callbacks receive it through an unretained pointer in `CURLOPT_WRITEDATA`/`HEADERDATA`; the
/// loop's table of active transfers keeps it alive until the handle has left the multi handle.
final class CurlTransfer {
  /// The ticket to resume when the transfer ends.
  let ticket: CurlRequestTicket

  /// The easy handle.
  let easy: UnsafeMutableRawPointer

  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var headerList: UnsafeMutablePointer<curl_slist>?
  private var body: [UInt8] = []
  private var headers: [HTTPHeader] = []
  private var exceededLimit = false
  private let limit: Int

  /// Creates an unconfigured transfer.
  ///
  /// - Parameters:
  ///   - ticket: The ticket whose request to perform.
  ///   - easy: A fresh easy handle, owned by the transfer from now on.
  private init(ticket: CurlRequestTicket, easy: UnsafeMutableRawPointer) {
    self.ticket = ticket
    self.easy = easy
    limit = ticket.request.maxResponseBytes
    let size = Int(CURL_ERROR_SIZE)
    errorBuffer = .allocate(capacity: size)
    errorBuffer.initialize(repeating: 0, count: size)
  }

  deinit {
    curl_easy_cleanup(easy)
    curl_slist_free_all(headerList)
    errorBuffer.deallocate()
  }

  /// Creates a transfer with every option of the ticket's request set.
  ///
  /// - Parameter ticket: The ticket whose request to perform.
  /// - Returns: A transfer ready for `curl_multi_add_handle`.
  /// - Throws: ``HTTPError`` with ``HTTPError/Kind/invalidRequest`` for malformed requests.
  static func make(for ticket: CurlRequestTicket) throws(HTTPError) -> CurlTransfer {
    guard let easy = curl_easy_init() else {
      throw HTTPError(kind: .transport, message: "curl_easy_init failed")
    }
    let transfer = CurlTransfer(ticket: ticket, easy: easy)
    try transfer.configure(ticket.request)
    return transfer
  }

  // MARK: - Options

  private func configure(_ request: HTTPRequest) throws(HTTPError) {
    try Self.validate(request)
    let context = Unmanaged.passUnretained(self).toOpaque()
    try set(CURLOPT_URL, request.url)
    try set(CURLOPT_PROTOCOLS_STR, "http,https")
    try set(CURLOPT_NOSIGNAL, 1)
    try check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
    try check(
      ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
        guard let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        return transfer.receiveBody(data, size * count)
      })
    try check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
    try check(
      ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
        guard let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        return transfer.receiveHeader(data, size * count)
      })
    try check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context))

    try set(CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds)
    try set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds)
    if let stall = request.stallTimeout {
      try set(CURLOPT_LOW_SPEED_LIMIT, 1)
      try set(CURLOPT_LOW_SPEED_TIME, stall.curlSeconds)
    }
    try check(
      ccurl_easy_setopt_off_t(
        easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max(request.maxResponseBytes, 0))))
    if request.acceptEncoding {
      try set(CURLOPT_ACCEPT_ENCODING, "")
    }
    try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
    try set(CURLOPT_PIPEWAIT, 1)
    if request.followRedirects {
      try set(CURLOPT_FOLLOWLOCATION, 1)
      try set(CURLOPT_MAXREDIRS, 10)
      try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
    }
    try configureTLS(request.tls)
    try configureMethodAndBody(request)
    try configureHeaders(request)
  }

  private func configureTLS(_ tls: TLSOptions) throws(HTTPError) {
    if let path = tls.caBundlePath {
      try set(CURLOPT_CAINFO, path)
    }
    if let path = tls.clientCertificatePath {
      try set(CURLOPT_SSLCERT, path)
    }
    if let path = tls.clientKeyPath {
      try set(CURLOPT_SSLKEY, path)
    }
    if tls.insecure {
      try set(CURLOPT_SSL_VERIFYPEER, 0)
      try set(CURLOPT_SSL_VERIFYHOST, 0)
    }
  }

  private func configureMethodAndBody(_ request: HTTPRequest) throws(HTTPError) {
    let method = request.method.uppercased()
    guard let body = request.body else {
      switch method {
      case "GET": try set(CURLOPT_HTTPGET, 1)
      case "HEAD": try set(CURLOPT_NOBODY, 1)
      case "POST": try setBody([])
      default: try set(CURLOPT_CUSTOMREQUEST, method)
      }
      return
    }
    try setBody(body)
    if method != "POST" {
      try set(CURLOPT_CUSTOMREQUEST, method)
    }
  }

  /// Sets a POST body that libcurl copies, so the bytes need not outlive this call.
  ///
  /// An empty body still gets a non-null pointer: a null one would make libcurl read stdin.
  private func setBody(_ body: [UInt8]) throws(HTTPError) {
    try check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
    let code =
      body.isEmpty
      ? ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
      : body.withUnsafeBytes { bytes in
        ccurl_easy_setopt_pointer(
          easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
      }
    try check(code)
  }

  private func configureHeaders(_ request: HTTPRequest) throws(HTTPError) {
    var lines = request.headers.map { header in
      // "Name:" would remove a header libcurl adds; "Name;" sends it with an empty value.
      header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
    }
    if !request.headers.contains(where: { $0.hasName("Expect") }) {
      lines.append("Expect:")
    }
    if request.body != nil, !request.headers.contains(where: { $0.hasName("Content-Type") }) {
      lines.append("Content-Type: application/octet-stream")
    }
    for line in lines {
      guard let list = curl_slist_append(headerList, line) else {
        throw HTTPError(kind: .transport, message: "curl_slist_append failed")
      }
      headerList = list
    }
    try check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))
  }

  private func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
    try check(ccurl_easy_setopt_long(easy, option, value))
  }

  private func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
    try check(ccurl_easy_setopt_string(easy, option, value))
  }

  private func check(_ code: CURLcode) throws(HTTPError) {
    guard code != CURLE_OK else { return }
    throw error(for: code)
  }

  // MARK: - Validation

  private static func validate(_ request: HTTPRequest) throws(HTTPError) {
    guard !request.url.isEmpty, !request.url.utf8.contains(where: { $0 < 0x21 || $0 == 0x7F })
    else {
      throw HTTPError(
        kind: .invalidRequest, message: "invalid URL: \(request.url.debugDescription)")
    }
    guard isToken(request.method) else {
      throw HTTPError(
        kind: .invalidRequest, message: "invalid method: \(request.method.debugDescription)")
    }
    for header in request.headers {
      guard isToken(header.name) else {
        throw HTTPError(
          kind: .invalidRequest, message: "invalid header name: \(header.name.debugDescription)")
      }
      guard !header.value.utf8.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) else {
        throw HTTPError(
          kind: .invalidRequest,
          message: "invalid value for header \(header.name): \(header.value.debugDescription)")
      }
    }
    guard request.maxResponseBytes >= 0 else {
      throw HTTPError(kind: .invalidRequest, message: "maxResponseBytes must not be negative")
    }
  }

  /// Whether a string is an RFC 9110 token (method or header name).
  private static func isToken(_ string: String) -> Bool {
    !string.isEmpty
      && string.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
          UInt8(ascii: "a")...UInt8(ascii: "z"):
          true
        default:
          "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
      }
  }

  // MARK: - Callbacks (loop thread, inside curl_multi_perform)

  private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
    guard count > 0, let data else { return 0 }
    guard body.count <= limit - count else {
      exceededLimit = true
      return 0  // any short count aborts the transfer with CURLE_WRITE_ERROR
    }
    body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
    return count
  }

  private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
    guard count > 0, let data else { return 0 }
    var bytes = UnsafeRawBufferPointer(start: data, count: count)[...]
    while let last = bytes.last, last == 0x0D || last == 0x0A {
      bytes.removeLast()  // bytes, not Characters: "\r\n" is a single Character
    }
    if bytes.starts(with: "HTTP/".utf8) {
      headers.removeAll()  // a new response starts: 1xx, redirect or final
    } else if let first = bytes.first, first == 0x20 || first == 0x09, let last = headers.last {
      headers[headers.count - 1].value = last.value + " " + Self.trimmed(bytes)  // obs-fold
    } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
      headers.append(
        HTTPHeader(
          name: String(decoding: bytes[..<colon], as: UTF8.self),
          value: Self.trimmed(bytes[(colon + 1)...])))
    }
    return count
  }

  private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
    let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
    guard let start = bytes.firstIndex(where: { !isBlank($0) }),
      let end = bytes.lastIndex(where: { !isBlank($0) })
    else { return "" }
    return String(decoding: bytes[start...end], as: UTF8.self)
  }

  // MARK: - Outcome

  /// The outcome of the finished transfer.
  ///
  /// - Parameter code: The `CURLcode` from the `CURLMSG_DONE` message.
  /// - Returns: The response, or the error libcurl reported.
  func outcome(_ code: CURLcode) -> Result<HTTPResponse, HTTPError> {
    guard code == CURLE_OK else { return .failure(error(for: code)) }
    let version =
      switch longInfo(CURLINFO_HTTP_VERSION) {
      case Int(CURL_HTTP_VERSION_1_0): "1.0"
      case Int(CURL_HTTP_VERSION_2_0): "2"
      case Int(CURL_HTTP_VERSION_3): "3"
      default: "1.1"
      }
    return .success(
      HTTPResponse(
        status: longInfo(CURLINFO_RESPONSE_CODE),
        headers: headers,
        body: body,
        httpVersion: version,
        totalTime: .curlMicroseconds(offsetInfo(CURLINFO_TOTAL_TIME_T)),
        connectTime: .curlMicroseconds(offsetInfo(CURLINFO_CONNECT_TIME_T)),
        timeToFirstByte: .curlMicroseconds(offsetInfo(CURLINFO_STARTTRANSFER_TIME_T)),
        reusedConnection: longInfo(CURLINFO_NUM_CONNECTS) == 0))
  }

  private func error(for code: CURLcode) -> HTTPError {
    let number = Int(code.rawValue)
    if exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
      return HTTPError(
        kind: .responseTooLarge, curlCode: number,
        message: "curl error \(number): response body exceeds the limit of "
          + "\(limit) bytes")
    }
    var detail = String(cString: errorBuffer)
    while let last = detail.last, last.isWhitespace {
      detail.removeLast()
    }
    if detail.isEmpty {
      detail = String(cString: curl_easy_strerror(code))
    }
    return HTTPError(
      kind: HTTPError.kind(forCurlCode: number), curlCode: number,
      message: "curl error \(number): \(detail)")
  }

  private func longInfo(_ info: CURLINFO) -> Int {
    var value = 0
    return ccurl_easy_getinfo_long(easy, info, &value) == CURLE_OK ? value : 0
  }

  private func offsetInfo(_ info: CURLINFO) -> Int64 {
    var value: curl_off_t = 0
    return ccurl_easy_getinfo_off_t(easy, info, &value) == CURLE_OK ? Int64(value) : 0
  }
}

@available(*, unavailable, message: "confined to the loop thread")
extension CurlTransfer: Sendable {}
