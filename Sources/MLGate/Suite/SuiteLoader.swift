import Crypto
import Foundation
import Yams

/// Reads a suite file into a validated ``Suite``.
///
/// Strict: unknown keys are refused with a suggestion, every error names file:line:column, and
/// nothing is started (no model, no data read) — `mlgate validate` relies on that.
public struct SuiteLoader: Sendable {
  /// Categories this version runs.
  static let categories = ["quality"]
  /// Categories of the design that later versions will run: named so a suite gets a clear
  /// "not supported yet" rather than "unknown key".
  static let plannedCategories = [
    "convergence", "behavioural", "adversarial", "regression", "fairness", "drift", "schema",
    "integration",
  ]

  private let environment: @Sendable (String) -> String?

  /// Creates a loader that expands `${VAR}` from `environment`.
  public init(environment: @escaping @Sendable (String) -> String?) {
    self.environment = environment
  }

  /// Creates a loader that expands `${VAR}` from this process's environment.
  public init() {
    self.init(environment: { ProcessInfo.processInfo.environment[$0] })
  }

  /// Loads the suite at `path`.
  public func load(path: String) throws(SuiteError) -> Suite {
    let here = SourcePosition(file: path)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SuiteError(here, "cannot read the suite file (does it exist?)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw SuiteError(here, "the suite file is not valid UTF-8")
    }
    let digest = "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return try parse(text: text, file: path, directory: directory, digest: digest)
  }

  /// Parses suite text; `directory` anchors relative paths.
  public func parse(text: String, file: String, directory: String, digest: String = "")
    throws(SuiteError) -> Suite
  {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw SuiteError(SourcePosition(file: file, line: 1, column: 1), "the suite file is empty")
      }
      root = node
    } catch let error as SuiteError {
      throw error
    } catch let error as YamlError {
      throw SuiteLoader.yamlError(error, file: file)
    } catch {
      throw SuiteError(SourcePosition(file: file), "cannot read YAML: \(error)")
    }
    let context = ConfigContext(directory: directory, environment: environment)
    let top = ConfigNode(node: root, file: file, path: "", context: context)
    guard top.isMapping else {
      throw top.error(
        "a suite file is a mapping with keys such as name, task, data, model and tests")
    }
    let keys = [
      "version", "name", "description", "seed", "task", "label", "positive", "data", "model",
      "tests",
    ]
    var values: [String: ConfigNode] = [:]
    for entry in try top.mapping(allowed: keys + ["baseline", "gates"], what: "the suite") {
      if entry.key == "baseline" || entry.key == "gates" {
        throw entry.keyNode.error(
          "'\(entry.key)' is not supported yet by mlgate \(MLGateVersion.current)")
      }
      values[entry.key] = entry.value
    }
    func required(_ key: String) throws(SuiteError) -> ConfigNode {
      guard let node = values[key] else { throw top.error("the suite has no '\(key)' (required)") }
      return node
    }
    if let version = values["version"] {
      guard try version.int(in: 0...1000) == 1 else {
        throw version.error("only 'version: 1' exists")
      }
    }
    let name = try required("name").nonEmptyString()
    let seed: UInt64
    if let node = values["seed"] {
      seed = UInt64(try node.int(in: 0...Int.max))
    } else {
      seed = 0
    }
    let taskNode = try required("task")
    let taskText = try taskNode.string()
    guard let task = TaskKind(rawValue: taskText) else {
      var message = "unknown task '\(taskText)'"
      let names = TaskKind.allCases.map(\.rawValue)
      if let close = TextFormat.suggestion(for: taskText, in: names) {
        message += " — did you mean '\(close)'?"
      } else {
        message += " (one of: \(names.joined(separator: ", ")))"
      }
      throw taskNode.error(message)
    }
    let label = try required("label").nonEmptyString()
    var positive: String?
    if let node = values["positive"] {
      guard task == .binaryClassification else {
        throw node.error("'positive' applies only to task binary-classification")
      }
      positive = try node.nonEmptyString()
    }
    let data = try parseData(values["data"], top: top)
    let model = try parseModel(
      try required("model"), directory: directory, context: context)
    let tests = try parseTests(try required("tests"), task: task)
    if tests.quality != nil, data.test == nil {
      throw (values["data"] ?? top).error(
        "quality checks need labelled data: add 'data: { test: path/to/test.csv }'")
    }
    return Suite(
      name: name, seed: seed, task: task, label: label, positive: positive, data: data,
      model: model,
      tests: tests, file: file, digest: digest, secrets: context.secrets)
  }

  static func yamlError(_ error: YamlError, file: String) -> SuiteError {
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _):
      let where_ = context.map { " \($0.text)" } ?? ""
      return SuiteError(
        SourcePosition(file: file, line: mark.line, column: mark.column),
        "invalid YAML: \(problem)\(where_)")
    case .composer(let context, let problem, let mark, _):
      let where_ = context.map { " \($0.text)" } ?? ""
      return SuiteError(
        SourcePosition(file: file, line: mark.line, column: mark.column),
        "invalid YAML: \(problem)\(where_)")
    default:
      return SuiteError(SourcePosition(file: file), "invalid YAML: \(error)")
    }
  }

  private func parseData(_ node: ConfigNode?, top: ConfigNode) throws(SuiteError) -> DataConfig {
    var data = DataConfig(
      test: nil, reference: nil, missingValues: ["", "NA", "N/A", "NaN", "nan", "null"], drop: [])
    guard let node else { return data }
    for entry in try node.mapping(allowed: ["test", "reference", "missing_values", "drop"]) {
      switch entry.key {
      case "test", "reference":
        let display = try entry.value.nonEmptyString()
        let file = DataConfig.File(path: try entry.value.filePath(), displayName: display)
        guard FileManager.default.isReadableFile(atPath: file.path) else {
          throw entry.value.error(
            "data file '\(display)' does not exist or cannot be read (looked at \(file.path))")
        }
        if entry.key == "test" { data.test = file } else { data.reference = file }
      case "missing_values":
        data.missingValues = Set(try entry.value.stringList())
      default:
        data.drop = try entry.value.stringList()
      }
    }
    return data
  }

  private func parseModel(_ node: ConfigNode, directory: String, context: ConfigContext)
    throws(SuiteError)
    -> ModelConfig
  {
    let keys = [
      "command", "endpoint", "env", "working_directory", "batch", "timeout", "start_timeout",
      "artifact", "classes",
    ]
    var argv: [String]?
    var endpoint: EndpointConfig?
    var env: [String: String] = [:]
    var workdir = directory
    var batch: Int?
    var config = ModelConfig(
      access: .command(argv: [], environment: [:], workingDirectory: directory), batch: 256,
      timeout: .seconds(30), startTimeout: .seconds(120), artifact: nil, classes: nil)
    for entry in try node.mapping(allowed: keys, what: "'model'") {
      switch entry.key {
      case "endpoint":
        endpoint = try EndpointConfigParser(context: context).parse(entry.value)
      case "command":
        guard entry.value.isSequence else {
          throw entry.value.error(
            "'command' must be a list of arguments, e.g. [python3, serve.py, model.pkl] (commands run without a shell)"
          )
        }
        let items = try entry.value.stringList()
        guard let first = items.first, !first.isEmpty else {
          throw entry.value.error("'command' must not be empty")
        }
        argv = items
      case "env":
        for variable in try entry.value.mapping() {
          env[variable.key] = try variable.value.string()
        }
      case "working_directory": workdir = try entry.value.filePath()
      case "batch": batch = try entry.value.int(in: 1...100_000)
      case "timeout": config.timeout = try entry.value.duration()
      case "start_timeout": config.startTimeout = try entry.value.duration()
      case "artifact":
        let path = try entry.value.filePath()
        guard FileManager.default.isReadableFile(atPath: path) else {
          throw entry.value.error(
            "model artifact '\(try entry.value.string())' does not exist (looked at \(path))")
        }
        config.artifact = path
      default:
        let classes = try entry.value.stringList()
        guard classes.count >= 2, Set(classes).count == classes.count else {
          throw entry.value.error("'classes' must list at least two distinct class names")
        }
        config.classes = classes
      }
    }
    switch (argv, endpoint) {
    case (let argv?, nil):
      config.access = .command(argv: argv, environment: env, workingDirectory: workdir)
      config.batch = batch ?? 256
    case (nil, let endpoint?):
      config.access = .endpoint(endpoint)
      config.batch = batch ?? 64
    case (nil, nil):
      throw node.error(
        "'model' needs 'command' (a local process) or 'endpoint' (a deployed scoring URL)")
    default:
      throw node.error("'model' takes 'command' or 'endpoint', not both")
    }
    return config
  }

  private func parseTests(_ node: ConfigNode, task: TaskKind) throws(SuiteError) -> TestsConfig {
    var tests = TestsConfig(quality: nil)
    let entries = try node.mapping(
      allowed: SuiteLoader.categories + SuiteLoader.plannedCategories, what: "'tests'")
    for entry in entries {
      guard SuiteLoader.categories.contains(entry.key) else {
        throw entry.keyNode.error(
          "category '\(entry.key)' is not supported yet by mlgate \(MLGateVersion.current) (supported: \(SuiteLoader.categories.joined(separator: ", ")))"
        )
      }
      tests.quality = try QualityConfigParser(task: task).parse(entry.value)
    }
    guard tests.quality != nil else { throw node.error("'tests' names no checks") }
    return tests
  }
}
