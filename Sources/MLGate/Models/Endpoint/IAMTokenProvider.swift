import Foundation
import MLGateHTTP

/// Exchanges an IBM Cloud API key for a bearer token and caches it until shortly before expiry.
actor IAMTokenProvider {
  private let apiKey: String
  private let url: String
  private let transport: any HTTPTransport
  private let tls: TLSOptions
  private let secrets: SecretStore
  private var token: String?
  private var expires: Date = .distantPast
  private var inFlight: Task<Result<String, ModelError>, Never>?
  private(set) var exchanges = 0

  init(
    apiKey: String, url: String, transport: any HTTPTransport, tls: TLSOptions, secrets: SecretStore
  ) {
    self.apiKey = apiKey
    self.url = url
    self.transport = transport
    self.tls = tls
    self.secrets = secrets
  }

  /// A valid token: the cached one, or a new one when it expires within a minute.
  ///
  /// Concurrent callers share one exchange.
  func current() async throws(ModelError) -> String {
    if let token, expires.timeIntervalSinceNow > 60 { return token }
    if let inFlight { return try await inFlight.value.get() }
    let task = Task { () async -> Result<String, ModelError> in
      do throws(ModelError) {
        return .success(try await self.exchange())
      } catch {
        return .failure(error)
      }
    }
    inFlight = task
    let result = await task.value
    inFlight = nil
    return try result.get()
  }

  /// Forgets the cached token (after a 401), so the next call exchanges the key again.
  ///
  /// - Parameter rejected: The token the endpoint refused; a newer one is kept.
  func invalidate(_ rejected: String? = nil) {
    if rejected == nil || rejected == token { token = nil }
  }

  private func exchange() async throws(ModelError) -> String {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
    let key = apiKey.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    let body = "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=\(key)"
    let request = HTTPRequest(
      method: "POST", url: url,
      headers: [
        HTTPHeader("Content-Type", "application/x-www-form-urlencoded"),
        HTTPHeader("Accept", "application/json"),
      ], body: Array(body.utf8), timeout: .seconds(30), tls: tls)
    let response: HTTPResponse
    do {
      response = try await transport.send(request)
    } catch {
      throw ModelError(
        .infrastructure, "the IAM token exchange at \(EndpointModel.display(url)) failed: \(error)")
    }
    exchanges += 1
    guard (200..<300).contains(response.status) else {
      let reason = ErrorBody.summary(response.body, contentType: response.header("Content-Type"))
      throw ModelError(
        .infrastructure,
        "the IAM token exchange at \(EndpointModel.display(url)) answered HTTP \(response.status): \(reason)"
      )
    }
    guard let json = try? JSONParser.parse(response.body),
      let token = json["access_token"]?.stringValue, !token.isEmpty
    else {
      throw ModelError(.infrastructure, "the IAM token exchange answered without an access_token")
    }
    secrets.add([token], force: true)
    if let expiration = json["expiration"]?.numberValue {
      expires = Date(timeIntervalSince1970: expiration)
    } else {
      expires = Date().addingTimeInterval(json["expires_in"]?.numberValue ?? 3_600)
    }
    self.token = token
    return token
  }
}
