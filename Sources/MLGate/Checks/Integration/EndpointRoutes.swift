/// The routes an endpoint's protocol defines beside scoring: readiness and model metadata.
enum EndpointRoutes {
  /// The readiness routes to poll.
  ///
  /// The suite's, else the endpoint's `health:`, else the protocol's own (Open Inference v2:
  /// server and model ready; KServe v1: the model; MLflow: `/ping`). Empty when the protocol has
  /// none (WML, custom JSON).
  static func readiness(_ endpoint: EndpointConfig, route: String?) -> [String] {
    if let route { return [route] }
    switch endpoint.wireProtocol {
    case .v2:
      // The server, then the model itself (a server can be up with the model still loading).
      let model = modelBase(endpoint).map { ["\($0)/ready"] } ?? []
      return [endpoint.health ?? "/v2/health/ready"] + model
    case .kserveV1: return endpoint.health.map { [$0] } ?? modelBase(endpoint).map { [$0] } ?? []
    case .mlflow: return [endpoint.health ?? "/ping"]
    case .wml, .json: return endpoint.health.map { [$0] } ?? []
    }
  }

  /// The model's own URL: the scoring URL without `/infer` (v2) or `:predict` (KServe v1).
  static func modelBase(_ endpoint: EndpointConfig) -> String? {
    var url = endpoint.url
    if let query = url.firstIndex(of: "?") { url = String(url[..<query]) }
    switch endpoint.wireProtocol {
    case .v2:
      guard url.hasSuffix("/infer") else { return nil }
      return String(url.dropLast("/infer".count))
    case .kserveV1:
      guard let colon = url.lastIndex(of: ":"), url[colon...].hasPrefix(":predict") else {
        return nil
      }
      return String(url[..<colon])
    case .mlflow, .wml, .json: return nil
    }
  }
}
