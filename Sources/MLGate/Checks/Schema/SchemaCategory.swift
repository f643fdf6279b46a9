/// `tests: schema:` — the data against a schema (TFDV's anomalies), the model's output contract
/// over every batch of the run, and bad input answered with a clear error.
struct SchemaCategory: CheckCategory {
  var name: CategoryName { .schema }
  /// Validating data needs only the data; the output contract and bad input need a model,
  /// which the parser asks for where they are written.
  var requirements: Requirements { [] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> SchemaConfig {
    let config = try SchemaConfigParser(outline: outline).parse(node)
    if config.targets.isEmpty, config.output == nil, config.badInput.isEmpty {
      throw node.error(
        "'schema' has nothing to check: add 'data: { test: … }' to the suite, or 'data:' here naming a file"
      )
    }
    return config
  }

  /// The schema's constraints hold for every section: perturbations and attacks keep them.
  func publish(_ config: SchemaConfig, into outline: inout SuiteOutline) {
    outline.schema = config.schema
  }

  func checks(for config: SchemaConfig) -> [any Check] {
    var checks: [any Check] = []
    for target in config.targets {
      for kind in AnomalyKind.allCases {
        checks.append(DataSchemaCheck(target: target, kind: kind, config: config))
      }
    }
    if let output = config.output { checks.append(OutputContractCheck(contract: output)) }
    for badCase in config.badInput {
      checks.append(BadInputCheck(badCase: badCase, config: config))
    }
    if !config.badInput.isEmpty { checks.append(StillAnswersCheck()) }
    return checks
  }
}

extension TestsConfig {
  /// The schema section, if the suite has one.
  package var schema: SchemaConfig? { config(of: SchemaCategory()) }
}
