/// Reads `integration.endpoint`: readiness, metadata, the scoring round trip, latency under
/// load and training–serving consistency, against the suite's `model:` endpoint.
struct EndpointIntegrationParser {
  let outline: SuiteOutline

  func parse(_ node: ConfigNode) throws(SuiteError) -> EndpointIntegration {
    guard let model = outline.models[.candidate] else {
      throw node.error(
        "'integration: endpoint' tests the suite's model: add 'model: { endpoint: … }'")
    }
    guard case .endpoint(let endpoint) = model.access else {
      throw node.error(
        "'integration: endpoint' tests a deployed endpoint, but 'model:' is a command; test the command's artifact with the other categories"
      )
    }
    var config = EndpointIntegration(
      readiness: (nil, .seconds(60)), metadata: endpoint.wireProtocol == .v2, latency: nil,
      consistency: nil, position: node.position, space: nil, endpoint: endpoint)
    if outline.data.test != nil { config.space = try outline.featureSpace(for: node) }
    if node.isNull { return config }
    for entry in try node.entries(EndpointIntegrationKey.self, what: "'integration: endpoint'") {
      let value = entry.value
      switch entry.key {
      case .readiness:
        for item in try value.entries(ReadinessKey.self, what: "'readiness'") {
          switch item.key {
          case .route: config.readiness.route = try item.value.nonEmptyString()
          case .deadline: config.readiness.deadline = try item.value.duration()
          }
        }
      case .metadata: config.metadata = try value.bool()
      case .latency: config.latency = try latency(value)
      case .consistency: config.consistency = try consistency(value)
      }
    }
    return config
  }

  private func latency(_ node: ConfigNode) throws(SuiteError) -> EndpointIntegration.LatencyBudget {
    var budget = EndpointIntegration.LatencyBudget(
      requests: 200, concurrency: 4, rows: 1, percentiles: [], maxErrorRate: 0.01,
      maxDuration: .seconds(120))
    for entry in try node.entries(LatencyKey.self, what: "'latency'") {
      let value = entry.value
      switch entry.key {
      case .requests: budget.requests = try value.int(in: 1...100_000)
      case .concurrency: budget.concurrency = try value.int(in: 1...256)
      case .rows: budget.rows = try value.int(in: 1...10_000)
      case .maxErrorRate:
        budget.maxErrorRate = try value.double()
        guard (0...1).contains(budget.maxErrorRate) else {
          throw value.error("'max_error_rate' is a share between 0 and 1, e.g. 0.01")
        }
      case .maxDuration: budget.maxDuration = try value.duration()
      case .p50, .p90, .p95, .p99, .p999:
        let duration = try value.duration()
        let milliseconds =
          Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds)
          / 1e15
        budget.percentiles.append((entry.key.percentile, milliseconds))
      }
    }
    guard !budget.percentiles.isEmpty else {
      throw node.error("'latency' needs at least one bound, e.g. 'p95: 250ms'")
    }
    budget.percentiles.sort { $0.percentile < $1.percentile }
    return budget
  }

  private func consistency(_ node: ConfigNode) throws(SuiteError) -> EndpointIntegration.Consistency
  {
    guard outline.task != nil, outline.label != nil, outline.data.test != nil else {
      throw node.error(
        "'consistency' compares predictions on the test data: the suite needs 'task:', 'label:' and 'data: { test: … }'"
      )
    }
    var reference: ModelConfig?
    var consistency = EndpointIntegration.Consistency(
      reference: ModelConfig(
        access: .command(argv: [], environment: [:], workingDirectory: ""), batch: 256,
        timeout: .seconds(30), startTimeout: .seconds(120)),
      sample: 500, tolerance: 1e-6, maxMismatchRate: 0)
    for entry in try node.entries(ConsistencyKey.self, what: "'consistency'") {
      let value = entry.value
      switch entry.key {
      case .artifact:
        var missing: [(String, SuiteError)] = []
        reference = try SuiteLoader.parseModel(
          value, key: "artifact", directory: value.context.directory, context: value.context,
          missingArtifacts: &missing)
        if let (path, error) = missing.first, !outline.produced.contains(path) { throw error }
      case .sample: consistency.sample = try value.int(in: 1...1_000_000)
      case .tolerance:
        consistency.tolerance = try value.double()
        guard consistency.tolerance >= 0 else {
          throw value.error("'tolerance' must be at least 0")
        }
      case .maxMismatchRate:
        consistency.maxMismatchRate = try value.double()
        guard (0...1).contains(consistency.maxMismatchRate) else {
          throw value.error("'max_mismatch_rate' is a share between 0 and 1")
        }
      }
    }
    guard let reference else {
      throw node.error(
        "'consistency' needs 'artifact:', the model the endpoint was built from served locally, e.g. {command: [python3, serve.py, model.pkl]}"
      )
    }
    consistency.reference = reference
    return consistency
  }
}

/// The keys of `integration.endpoint`.
private enum EndpointIntegrationKey: String, ConfigKey {
  case readiness, metadata, latency, consistency
}

/// The keys of `readiness`.
private enum ReadinessKey: String, ConfigKey {
  case route, deadline
}

/// The keys of `latency`.
private enum LatencyKey: String, ConfigKey {
  case requests, concurrency, rows
  case maxErrorRate = "max_error_rate"
  case maxDuration = "max_duration"
  case p50, p90, p95, p99, p999

  var percentile: Double {
    switch self {
    case .p50: return 50
    case .p90: return 90
    case .p95: return 95
    case .p99: return 99
    case .p999: return 99.9
    default: return 0
    }
  }
}

/// The keys of `consistency`.
private enum ConsistencyKey: String, ConfigKey {
  case artifact, sample, tolerance
  case maxMismatchRate = "max_mismatch_rate"
}
