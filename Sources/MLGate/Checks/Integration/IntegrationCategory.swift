/// `tests: integration:` — the pipeline's steps run and leave what the next step needs; the
/// deployed endpoint is ready, described, answers within its latency budget and agrees with the
/// artifact it was built from.
struct IntegrationCategory: CheckCategory {
  var name: CategoryName { .integration }
  var requirements: Requirements { [] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> IntegrationConfig {
    try IntegrationConfigParser(outline: outline).parse(node)
  }

  func publish(_ config: IntegrationConfig, into outline: inout SuiteOutline) {
    for step in config.pipeline { outline.produced.formUnion(step.artifacts.map(\.path)) }
  }

  func checks(for config: IntegrationConfig) -> [any Check] {
    var checks: [any Check] = []
    let steps = config.pipeline
    for (index, step) in steps.enumerated() {
      let unbuilt = Set(steps[index...].flatMap { $0.artifacts.map(\.path) })
      checks.append(PipelineStepCheck(step: step, unbuilt: unbuilt))
    }
    if let endpoint = config.endpoint {
      checks.append(EndpointReadinessCheck(config: endpoint))
      if endpoint.metadata { checks.append(EndpointMetadataCheck(config: endpoint)) }
      checks.append(EndpointRoundTripCheck(config: endpoint))
      if let latency = endpoint.latency {
        checks.append(EndpointLatencyCheck(config: endpoint, budget: latency))
      }
      if let consistency = endpoint.consistency {
        checks.append(EndpointConsistencyCheck(config: endpoint, consistency: consistency))
      }
    }
    return checks
  }
}

extension CategoryName {
  /// Pipeline and endpoint integration.
  package static let integration = CategoryName(rawValue: "integration")
}

extension TestsConfig {
  /// The integration section, if the suite has one.
  package var integration: IntegrationConfig? { config(of: IntegrationCategory()) }
}
