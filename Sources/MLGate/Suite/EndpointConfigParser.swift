import Foundation

/// Reads `model.endpoint`.
///
/// Secrets (tokens, API keys, passwords) must be written as `${VAR}` or come from a file
/// (`token_file`, `apikey_file`, `password_file`): a literal secret in a suite file would end up
/// in version control.
struct EndpointConfigParser {
  let context: ConfigContext

  func parse(_ node: ConfigNode) throws(SuiteError) -> EndpointConfig {
    var url: String?
    var wire: EndpointConfig.WireProtocol?
    var config = EndpointConfig(
      url: "", wireProtocol: .v2, auth: .none, insecure: false, health: nil, concurrency: 4,
      retries: 3,
      retryBudget: 200, outputs: nil, mapping: nil, headers: [:])
    var mappingNode: ConfigNode?
    for entry in try node.entries(EndpointKey.self, what: "'endpoint'") {
      switch entry.key {
      case .url:
        let text = try entry.value.nonEmptyString()
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else {
          throw entry.value.error("'url' must start with http:// or https://, found '\(text)'")
        }
        let authority = text.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" }
        guard !authority.contains("@") else {
          throw entry.value.error("'url' must not hold credentials (user:password@); use 'auth'")
        }
        url = text
      case .wireProtocol:
        let text = try entry.value.string()
        guard let kind = EndpointConfig.WireProtocol(rawValue: text) else {
          var message = "unknown protocol '\(text)'"
          let names = EndpointConfig.WireProtocol.allCases.map(\.rawValue)
          if let close = TextFormat.suggestion(for: text, in: names) {
            message += " — did you mean '\(close)'?"
          } else {
            message += " (one of: \(names.joined(separator: ", ")))"
          }
          throw entry.value.error(message)
        }
        wire = kind
      case .auth: config.auth = try auth(entry.value)
      case .tls:
        for item in try entry.value.entries(TLSKey.self, what: "'tls'") {
          let path = try item.value.filePath()
          switch item.key {
          case .ca: config.caBundle = path
          case .cert: config.clientCertificate = path
          case .key: config.clientKey = path
          }
        }
      case .insecure: config.insecure = try entry.value.bool()
      case .followRedirects: config.followRedirects = try entry.value.bool()
      case .health: config.health = try entry.value.nonEmptyString()
      case .concurrency: config.concurrency = try entry.value.int(in: 1...256)
      case .retries: config.retries = try entry.value.int(in: 0...10)
      case .retryBudget: config.retryBudget = try entry.value.int(in: 0...100_000)
      case .outputs: config.outputs = try entry.value.stringList()
      case .maxResponseMB: config.maxResponseBytes = try entry.value.int(in: 1...4096) << 20
      case .headers:
        for header in try entry.value.mapping() {
          config.headers[header.key] = try header.value.string()
        }
      case .json: mappingNode = entry.value
      }
    }
    guard let url else { throw node.error("'endpoint' needs 'url': the URL batches are POSTed to") }
    guard let wire else {
      throw node.error(
        "'endpoint' needs 'protocol': one of \(EndpointConfig.WireProtocol.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    config.url = url
    config.wireProtocol = wire
    if (config.clientCertificate == nil) != (config.clientKey == nil) {
      throw node.error("mutual TLS needs both 'tls.cert' and 'tls.key'")
    }
    if wire == .json {
      guard let mappingNode else {
        throw node.error(
          "protocol json needs a 'json' mapping: {request_key: data, layout: records, predictions: result.labels}"
        )
      }
      config.mapping = try mapping(mappingNode)
    } else if let mappingNode {
      throw mappingNode.error("'json' applies only to protocol json")
    }
    return config
  }

  private func mapping(_ node: ConfigNode) throws(SuiteError) -> EndpointConfig.JSONMapping {
    var mapping = EndpointConfig.JSONMapping(
      requestKey: "data", layout: .records, predictions: nil, probabilities: nil)
    for entry in try node.entries(JSONMappingKey.self, what: "'json'") {
      switch entry.key {
      case .requestKey: mapping.requestKey = try entry.value.nonEmptyString()
      case .layout:
        let text = try entry.value.string()
        guard let layout = EndpointConfig.JSONMapping.Layout(rawValue: text) else {
          throw entry.value.error("'layout' is records, values or split, found '\(text)'")
        }
        mapping.layout = layout
      case .predictions: mapping.predictions = try entry.value.nonEmptyString()
      case .probabilities: mapping.probabilities = try entry.value.nonEmptyString()
      }
    }
    guard mapping.predictions != nil || mapping.probabilities != nil else {
      throw node.error(
        "the 'json' mapping needs 'predictions' or 'probabilities': where the answers are in the response"
      )
    }
    return mapping
  }

  private func auth(_ node: ConfigNode) throws(SuiteError) -> EndpointConfig.Auth {
    let entries = try node.entries(AuthKey.self, what: "'auth'")
    guard entries.count == 1, let entry = entries.first else {
      throw node.error("'auth' takes exactly one of: bearer, header, basic, iam")
    }
    switch entry.key {
    case .bearer:
      let values = try entry.value.mapping(allowed: ["token", "token_file"], what: "'bearer'")
      return .bearer(token: try secret(values, "token"))
    case .header:
      let values = try entry.value.mapping(
        allowed: ["name", "value", "value_file"], what: "'header'")
      guard let name = values.first(where: { $0.key == "name" }) else {
        throw entry.value.error("'header' needs 'name'")
      }
      return .header(name: try name.value.nonEmptyString(), value: try secret(values, "value"))
    case .basic:
      let values = try entry.value.mapping(
        allowed: ["username", "password", "password_file"], what: "'basic'")
      guard let user = values.first(where: { $0.key == "username" }) else {
        throw entry.value.error("'basic' needs 'username'")
      }
      return .basic(
        username: try user.value.nonEmptyString(), password: try secret(values, "password"))
    case .iam:
      let values = try entry.value.mapping(
        allowed: ["apikey", "apikey_file", "url"], what: "'iam'")
      let url =
        try values.first(where: { $0.key == "url" })?.value.nonEmptyString()
        ?? "https://iam.cloud.ibm.com/identity/token"
      return .iam(apiKey: try secret(values, "apikey"), url: url)
    }
  }

  /// A secret from `${VAR}` (`key`) or a file (`key_file`), registered for redaction.
  private func secret(
    _ values: [(key: String, value: ConfigNode, keyNode: ConfigNode)], _ key: String
  ) throws(SuiteError) -> String {
    if let inline = values.first(where: { $0.key == key }) {
      let raw = inline.value.rawScalar ?? ""
      guard raw.hasPrefix("${"), raw.hasSuffix("}"),
        raw.dropFirst(2).dropLast().allSatisfy({ $0 != "$" && $0 != "}" })
      else {
        throw inline.value.error(
          "'\(key)' must come from the environment or a file, not the suite text: write '\(key): ${VARIABLE}' or '\(key)_file: path'"
        )
      }
      let value = try inline.value.string()
      guard !value.isEmpty else { throw inline.value.error("'\(key)' is empty (is \(raw) set?)") }
      context.secrets.add([value], force: true)
      return value
    }
    if let file = values.first(where: { $0.key == "\(key)_file" }) {
      let path = try file.value.filePath()
      guard let data = try? BoundedFile.read(path, limit: 64 << 10),
        let text = String(validating: data, as: UTF8.self)?.trimmingCharacters(
          in: .whitespacesAndNewlines), !text.isEmpty
      else {
        throw file.value.error(
          "cannot read the secret file '\(try file.value.string())' (or it is empty)")
      }
      context.secrets.add([text], force: true)
      return text
    }
    throw SuiteError(
      values.first?.keyNode.position ?? SourcePosition(file: ""),
      "missing '\(key)' (or '\(key)_file')")
  }
}

/// The keys of `endpoint:`.
private enum EndpointKey: String, ConfigKey {
  case url
  case wireProtocol = "protocol"
  case auth, tls, insecure, health, concurrency, retries
  case retryBudget = "retry_budget"
  case outputs, json, headers
  case maxResponseMB = "max_response_mb"
  case followRedirects = "follow_redirects"
}

/// The keys of `endpoint.tls`.
private enum TLSKey: String, ConfigKey {
  case ca, cert, key
}

/// The keys of `endpoint.json`.
private enum JSONMappingKey: String, ConfigKey {
  case requestKey = "request_key"
  case layout, predictions, probabilities
}

/// The kinds of `endpoint.auth`.
private enum AuthKey: String, ConfigKey {
  case bearer, header, basic, iam
}
