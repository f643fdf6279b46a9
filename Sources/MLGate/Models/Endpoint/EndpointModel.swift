import Foundation
import MLGateHTTP
import Synchronization

/// A deployed scoring endpoint, reached over HTTP through libcurl.
///
/// Batches are encoded in the endpoint's wire format, sent with its credentials, retried with
/// exponential backoff on connection failures, 429 and 503 (honouring `Retry-After`, within a
/// per-run budget), and decoded by name. Errors carry the status and the server's own message.
package final class EndpointModel: Model {
  private let config: EndpointConfig
  private let codec: any EndpointCodec
  private let transport: any HTTPTransport
  private let ownsTransport: CurlTransport?
  private let timeout: Duration
  private let classes: [String]?
  private let secrets: SecretStore
  private let iam: IAMTokenProvider?
  private let staticHeaders: [HTTPHeader]
  private let state: Mutex<State>

  private struct State {
    var random: SeededRandom
    var requests = 0
    var retries = 0
    var refreshes = 0
    var healthChecked = false
    var reused = 0
    var httpVersion = ""
  }

  package var displayName: String {
    "endpoint \(config.wireProtocol.rawValue) \(EndpointModel.display(config.url))"
      + (config.insecure ? " (TLS verification OFF)" : "")
  }

  package var maxConcurrency: Int { config.concurrency }

  /// Creates an endpoint model; `transport` defaults to a libcurl transport of its own.
  init(
    config: EndpointConfig, task: TaskKind, timeout: Duration, classes: [String]?, seed: UInt64,
    secrets: SecretStore,
    transport: (any HTTPTransport)? = nil
  ) {
    self.config = config
    self.timeout = timeout
    self.classes = classes
    self.secrets = secrets
    if let transport {
      self.transport = transport
      ownsTransport = nil
    } else {
      let curl = CurlTransport(maxConnections: config.concurrency)
      self.transport = curl
      ownsTransport = curl
    }
    switch config.wireProtocol {
    case .wml: codec = WMLCodec()
    case .v2:
      codec = OpenInferenceCodec(
        outputs: config.outputs
          ?? (task.isClassification ? ["predict", "predict_proba"] : ["predict"]))
    case .kserveV1: codec = KServeV1Codec()
    case .mlflow: codec = MLflowCodec()
    case .json:
      codec = JSONMappingCodec(
        mapping: config.mapping
          ?? .init(
            requestKey: "data", layout: .records, predictions: "predictions", probabilities: nil))
    }
    var headers = [
      HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json"),
    ]
    for (name, value) in config.headers.sorted(by: { $0.key < $1.key }) {
      headers.append(HTTPHeader(name, value))
    }
    switch config.auth {
    case .none, .iam: break
    case .bearer(let token): headers.append(HTTPHeader("Authorization", "Bearer \(token)"))
    case .header(let name, let value): headers.append(HTTPHeader(name, value))
    case .basic(let user, let password):
      let encoded = Data("\(user):\(password)".utf8).base64EncodedString()
      secrets.add([encoded], force: true)
      headers.append(HTTPHeader("Authorization", "Basic \(encoded)"))
    }
    staticHeaders = headers
    if case .iam(let apiKey, let url) = config.auth {
      iam = IAMTokenProvider(
        apiKey: apiKey, url: url, transport: self.transport, tls: EndpointModel.tls(config),
        secrets: secrets)
    } else {
      iam = nil
    }
    state = Mutex(State(random: SeededRandom(seed: seed, stream: "endpoint.retries")))
  }

  static func tls(_ config: EndpointConfig) -> TLSOptions {
    TLSOptions(
      caBundlePath: config.caBundle, clientCertificatePath: config.clientCertificate,
      clientKeyPath: config.clientKey,
      insecure: config.insecure)
  }

  /// A URL for reports: no credentials, no query values (they can hold keys).
  static func display(_ url: String) -> String {
    var text = url
    if let query = text.firstIndex(of: "?") { text = String(text[..<query]) + "?…" }
    if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") {
      text = String(text[..<scheme.upperBound]) + String(text[text.index(after: at)...])
    }
    return text
  }

  package func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
    try await checkHealth()
    let body = codec.body(for: batch)
    let (response, retries) = try await send(body: body, url: config.url)
    guard (200..<300).contains(response.status) else {
      var reason = ErrorBody.summary(response.body, contentType: response.header("Content-Type"))
      if (300..<400).contains(response.status) {
        reason = EndpointModel.redirectAdvice(
          response.header("Location"), from: config.url, following: config.followRedirects)
      }
      let kind: ModelError.Kind = response.status >= 500 ? .infrastructure : .model
      throw ModelError(
        kind,
        "the endpoint answered HTTP \(response.status)\(EndpointModel.after(retries)): \(reason)",
        detail: "POST \(EndpointModel.display(config.url))\n"
          + TextFormat.trimmed(
            String(decoding: response.body.prefix(2_000), as: UTF8.self), limit: 2_000),
        httpStatus: response.status)
    }
    let answer: JSONValue
    do {
      answer = try JSONParser.parse(response.body)
    } catch {
      let shown = TextFormat.trimmed(
        String(decoding: response.body.prefix(300), as: UTF8.self).split(
          whereSeparator: \.isNewline
        ).joined(separator: " "),
        limit: 200)
      throw ModelError(
        .infrastructure,
        "the endpoint answered HTTP \(response.status) with a body that is not JSON (\(response.header("Content-Type") ?? "no content type"), \(error)): '\(shown)'"
      )
    }
    return try codec.decode(answer, rows: batch.rows.count, classes: classes)
  }

  package func shutdown() async {
    ownsTransport?.shutdown()
  }

  package func reportProperties() async -> [(name: String, value: String)] {
    let (requests, retries, refreshes, reused, version) = state.withLock {
      ($0.requests, $0.retries, $0.refreshes, $0.reused, $0.httpVersion)
    }
    var properties: [(name: String, value: String)] = [
      ("endpoint.url", EndpointModel.display(config.url)),
      ("endpoint.protocol", config.wireProtocol.rawValue),
      ("endpoint.requests", "\(requests)"),
      ("endpoint.retries", "\(retries)"),
      ("endpoint.reused_connections", "\(reused)"),
      ("endpoint.http_version", version.isEmpty ? "none" : version),
      ("endpoint.tls_verification", config.insecure ? "OFF (insecure: true)" : "on"),
    ]
    if let iam { properties.append(("endpoint.iam_token_exchanges", "\(await iam.exchanges)")) }
    if refreshes > 0 { properties.append(("endpoint.token_refreshes", "\(refreshes)")) }
    return properties
  }

  package func probe(_ route: String, timeout: Duration) async throws(ModelError) -> ProbeAnswer {
    let url = EndpointModel.resolve(route, against: config.url)
    let token = try await iam?.current()
    var request = HTTPRequest(
      method: "GET", url: url, headers: headers(token: token), timeout: timeout,
      tls: EndpointModel.tls(config))
    request.maxResponseBytes = 1 << 20
    do {
      let response = try await transport.send(request)
      return ProbeAnswer(
        url: EndpointModel.display(url), status: response.status, body: response.body,
        contentType: response.header("Content-Type"))
    } catch {
      throw ModelError(.infrastructure, "GET \(EndpointModel.display(url)) failed: \(error)")
    }
  }

  // MARK: - Sending

  private func checkHealth() async throws(ModelError) {
    guard let health = config.health, !state.withLock({ $0.healthChecked }) else { return }
    let url = EndpointModel.resolve(health, against: config.url)
    let token = try await iam?.current()
    var request = HTTPRequest(
      method: "GET", url: url, headers: headers(token: token), timeout: timeout,
      tls: EndpointModel.tls(config))
    request.maxResponseBytes = 1 << 20
    let response: HTTPResponse
    do {
      response = try await transport.send(request)
    } catch {
      throw ModelError(
        .infrastructure,
        "the endpoint's health check GET \(EndpointModel.display(url)) failed: \(error)")
    }
    guard (200..<300).contains(response.status) else {
      throw ModelError(
        .infrastructure,
        "the endpoint's health check GET \(EndpointModel.display(url)) answered HTTP \(response.status): \(ErrorBody.summary(response.body, contentType: response.header("Content-Type")))"
      )
    }
    state.withLock { $0.healthChecked = true }
  }

  /// `path` on the scoring URL's origin, or `path` itself when it is a URL.
  static func resolve(_ path: String, against base: String) -> String {
    if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
    guard let scheme = base.range(of: "://") else { return path }
    let rest = base[scheme.upperBound...]
    let host = rest.firstIndex(of: "/").map { rest[..<$0] } ?? rest
    return String(base[..<scheme.upperBound]) + host + (path.hasPrefix("/") ? path : "/" + path)
  }

  /// The absolute URL of `location` if it has the scheme, host and port of `url`.
  static func sameOrigin(_ location: String, as url: String) -> String? {
    let next = resolve(location, against: url)
    return origin(next) == origin(url) ? next : nil
  }

  /// `scheme://host:port` of a URL, lower-cased.
  static func origin(_ url: String) -> String {
    guard let scheme = url.range(of: "://") else { return url.lowercased() }
    let rest = url[scheme.upperBound...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    return (String(url[..<scheme.upperBound]) + authority).lowercased()
  }

  /// What to say about a redirect mlgate did not follow.
  static func redirectAdvice(_ location: String?, from url: String, following: Bool) -> String {
    guard let location else { return "a redirect without a Location header" }
    let target = display(resolve(location, against: url))
    if following, sameOrigin(location, as: url) == nil {
      return
        "a redirect to \(target), another scheme, host or port: not followed (point 'url' there if it is right)"
    }
    if following { return "a redirect to \(target): more than 5 redirects, not followed" }
    return
      "a redirect to \(target): point 'url' there, or set 'follow_redirects: true' to follow redirects within the same scheme, host and port"
  }

  private func headers(token: String? = nil) -> [HTTPHeader] {
    var headers = staticHeaders
    if let token { headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }
    return headers
  }

  /// " (after N retries)", or nothing when the first attempt was the last.
  static func after(_ retries: Int) -> String {
    retries > 0 ? " (after \(retries) \(retries == 1 ? "retry" : "retries"))" : ""
  }

  /// POSTs `body`, retrying as configured; the final response and the retries it took.
  private func send(body: [UInt8], url: String) async throws(ModelError) -> (HTTPResponse, Int) {
    var url = url
    var attempt = 0
    var refreshed = false
    var redirects = 0
    while true {
      let token = try await iam?.current()
      let request = HTTPRequest(
        method: "POST", url: url, headers: headers(token: token), body: body, timeout: timeout,
        connectTimeout: min(timeout, .seconds(10)), stallTimeout: min(timeout, .seconds(30)),
        maxResponseBytes: config.maxResponseBytes, tls: EndpointModel.tls(config))
      var retryAfter: Duration?
      do {
        let response = try await transport.send(request)
        state.withLock { state in
          state.requests += 1
          if response.reusedConnection { state.reused += 1 }
          state.httpVersion = response.httpVersion
        }
        if response.status == 401, let iam, !refreshed {
          refreshed = true
          await iam.invalidate(token)
          state.withLock { $0.refreshes += 1 }
          continue
        }
        if config.followRedirects, [301, 302, 307, 308].contains(response.status), redirects < 5,
          let location = response.header("Location"),
          let next = EndpointModel.sameOrigin(location, as: url)
        {
          redirects += 1
          url = next
          continue
        }
        guard response.status == 429 || response.status == 503 else { return (response, attempt) }
        retryAfter = EndpointModel.retryAfter(response.header("Retry-After"))
        if attempt >= config.retries || !takeRetry() { return (response, attempt) }
      } catch let error as HTTPError {
        state.withLock { $0.requests += 1 }
        let retryable =
          error.kind == .connect
          || (error.kind == .transport && [52, 55, 56].contains(error.curlCode))
        if !retryable || attempt >= config.retries || !takeRetry() {
          let after = EndpointModel.after(attempt)
          var reason = error.message
          switch error.kind {
          case .responseTooLarge:
            reason =
              "the answer is larger than \(config.maxResponseBytes >> 20) MiB (raise 'max_response_mb' if that is expected)"
          case .timeout:
            // curl's own text names whichever phase the clock ran out in, e.g. "Failed to
            // resolve host '127.0.0.1' with timeout after 0 ms": misleading for an address.
            reason = "no complete answer within \(TextFormat.short(timeout)) (the timeout)"
          case .tls:
            reason =
              "TLS failed (\(error.message)); give the CA with 'tls: {ca: …}' or, for a test server only, 'insecure: true'"
          default: break
          }
          throw ModelError(
            .infrastructure, "POST \(EndpointModel.display(url)) failed\(after): \(reason)")
        }
      } catch {
        throw ModelError(.infrastructure, "POST \(EndpointModel.display(url)) failed: \(error)")
      }
      attempt += 1
      let backoff = state.withLock { state -> Duration in
        let ceiling = 0.2 * pow(2, Double(attempt - 1))
        let jitter = Double(state.random.below(1_000_000)) / 1_000_000
        return .milliseconds(Int64(ceiling * (0.5 + 0.5 * jitter) * 1_000))
      }
      let wait = min(max(retryAfter ?? .zero, backoff), .seconds(30))
      try? await Task.sleep(for: wait)
    }
  }

  private func takeRetry() -> Bool {
    state.withLock { state in
      guard state.retries < config.retryBudget else { return false }
      state.retries += 1
      return true
    }
  }

  /// `Retry-After` as seconds or an HTTP date.
  static func retryAfter(_ value: String?) -> Duration? {
    guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
      return nil
    }
    if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1_000)) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = formatter.date(from: value) else { return nil }
    return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1_000))
  }
}
