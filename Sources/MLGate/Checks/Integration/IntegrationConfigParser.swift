import Foundation

/// Reads `tests.integration`: `pipeline:` (steps run first, in order) and `endpoint:` (checks on
/// the suite's deployed model).
struct IntegrationConfigParser {
  let outline: SuiteOutline

  func parse(_ node: ConfigNode) throws(SuiteError) -> IntegrationConfig {
    var config = IntegrationConfig()
    for entry in try node.entries(IntegrationKey.self, what: "'integration'") {
      switch entry.key {
      case .pipeline: config.pipeline = try PipelineParser().parse(entry.value)
      case .endpoint:
        config.endpoint = try EndpointIntegrationParser(outline: outline).parse(entry.value)
      }
    }
    guard !config.pipeline.isEmpty || config.endpoint != nil else {
      throw node.error("'integration' needs 'pipeline:' (steps to run) or 'endpoint:'")
    }
    return config
  }
}

/// Reads `integration.pipeline`: shared settings and `steps:` (or the list of steps itself).
struct PipelineParser {
  func parse(_ node: ConfigNode) throws(SuiteError) -> [PipelineStep] {
    var shared = PipelineStep(
      name: "", argv: [], workingDirectory: node.context.directory, environment: [:],
      timeout: .seconds(600), expectExit: 0, artifacts: [], outputs: nil, position: node.position)
    var items: [ConfigNode] = []
    if node.isSequence {
      items = try node.sequence()
    } else {
      for entry in try node.entries(PipelineKey.self, what: "'pipeline'") {
        switch entry.key {
        case .steps: items = try entry.value.sequence()
        case .workingDirectory: shared.workingDirectory = try entry.value.filePath()
        case .env: shared.environment = try environment(entry.value)
        case .timeout: shared.timeout = try entry.value.duration()
        }
      }
    }
    guard !items.isEmpty else {
      throw node.error(
        "'pipeline' lists no steps: add 'steps: [{name: train, run: [python3, train.py]}]'")
    }
    var steps: [PipelineStep] = []
    for item in items {
      let step = try self.step(item, shared: shared)
      if let first = steps.first(where: { $0.name == step.name }) {
        throw item.error("a step named '\(step.name)' is already defined at \(first.position)")
      }
      steps.append(step)
    }
    return steps
  }

  private func environment(_ node: ConfigNode) throws(SuiteError) -> [String: String] {
    var variables: [String: String] = [:]
    for variable in try node.mapping() { variables[variable.key] = try variable.value.string() }
    return variables
  }

  private func step(_ node: ConfigNode, shared: PipelineStep) throws(SuiteError) -> PipelineStep {
    var step = shared
    step.position = node.position
    var name: String?
    var artifacts: [ConfigNode] = []
    var outputs: ConfigNode?
    for entry in try node.entries(StepKey.self, what: "a pipeline step") {
      let value = entry.value
      switch entry.key {
      case .name: name = try value.nonEmptyString()
      case .run:
        guard value.isSequence else {
          throw value.error(
            "'run' must be a list of arguments, e.g. [python3, train.py] (steps run without a shell)"
          )
        }
        step.argv = try value.stringList()
        guard let first = step.argv.first, !first.isEmpty else {
          throw value.error("'run' must not be empty")
        }
      case .workingDirectory: step.workingDirectory = try value.filePath()
      case .env: step.environment.merge(try environment(value)) { $1 }
      case .timeout: step.timeout = try value.duration()
      case .expectExit: step.expectExit = Int32(try value.int(in: 0...255))
      case .artifacts: artifacts = value.isSequence ? try value.sequence() : [value]
      case .outputs: outputs = value
      }
    }
    guard !step.argv.isEmpty else {
      throw node.error("a pipeline step needs 'run: [program, args…]'")
    }
    step.name = name ?? step.argv.joined(separator: " ")
    // Paths a step writes are relative to where it runs.
    step.artifacts = try artifacts.map { (item) throws(SuiteError) in
      let text = try item.nonEmptyString()
      return (PipelineParser.resolve(text, in: step.workingDirectory), text)
    }
    if let outputs {
      step.outputs = try parseOutputs(outputs, workingDirectory: step.workingDirectory)
    }
    return step
  }

  private func parseOutputs(_ node: ConfigNode, workingDirectory: String) throws(SuiteError)
    -> OutputParameters
  {
    var file: String?
    var expectations: [OutputParameters.Expectation] = []
    for entry in try node.entries(OutputsKey.self, what: "'outputs'") {
      switch entry.key {
      case .file: file = try entry.value.nonEmptyString()
      case .expect:
        for item in try entry.value.mapping() {
          expectations.append(
            .init(key: item.key, rule: try rule(item.value), position: item.keyNode.position))
        }
      }
    }
    guard let file else {
      throw node.error(
        "'outputs' needs 'file:' (the JSON object or key=value lines the step writes)")
    }
    guard !expectations.isEmpty else {
      throw node.error(
        "'outputs' needs 'expect:', e.g. {training_done: true, auc_roc: [0.7, lower]}")
    }
    return OutputParameters(
      path: PipelineParser.resolve(file, in: workingDirectory), display: file,
      expectations: expectations)
  }

  /// `true`, `0.8`, `ok`, or a threshold in OpenScale's forms.
  private func rule(_ node: ConfigNode) throws(SuiteError) -> OutputParameters.Rule {
    if ThresholdForm.looksLikeThreshold(node) {
      let form = try ThresholdForm.read(node, what: "'\(node.keyName)'")
      guard let direction = form.direction else {
        throw node.error(
          "say which side the bound is: [\(TextFormat.figure(form.value)), lower] or [\(TextFormat.figure(form.value)), upper]"
        )
      }
      return .bound(form.value, direction)
    }
    let text = try node.string()
    switch text.lowercased() {
    case "true", "false": return .bool(text.lowercased() == "true")
    default:
      if let number = Double(text), number.isFinite { return .number(number) }
      return .text(text)
    }
  }

  /// `path` against `directory` unless absolute.
  static func resolve(_ path: String, in directory: String) -> String {
    if path.hasPrefix("/") { return path }
    return URL(
      fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)
    )
    .standardizedFileURL.path
  }
}

/// The keys of `integration`.
private enum IntegrationKey: String, ConfigKey {
  case pipeline, endpoint
}

/// The keys of `integration.pipeline`.
private enum PipelineKey: String, ConfigKey {
  case steps
  case workingDirectory = "working_directory"
  case env, timeout
}

/// The keys of one pipeline step.
private enum StepKey: String, ConfigKey {
  case name, run
  case workingDirectory = "working_directory"
  case env, timeout
  case expectExit = "expect_exit"
  case artifacts, outputs
}

/// The keys of a step's `outputs`.
private enum OutputsKey: String, ConfigKey {
  case file, expect
}
