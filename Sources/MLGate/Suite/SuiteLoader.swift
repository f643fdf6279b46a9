import Crypto
import Foundation
import Yams

/// Reads a suite file into a validated ``Suite``.
///
/// Strict: unknown keys are refused with a suggestion, every error names file:line:column, and
/// nothing is started (no model, no data read) — `mlgate validate` relies on that.
package struct SuiteLoader: Sendable {
  private let environment: @Sendable (String) -> String?
  private let registry: CategoryRegistry

  /// Creates a loader that expands `${VAR}` from `environment` and reads the sections of the
  /// categories in `registry`.
  package init(
    environment: @escaping @Sendable (String) -> String?,
    registry: CategoryRegistry = .standard
  ) {
    self.environment = environment
    self.registry = registry
  }

  /// Creates a loader that expands `${VAR}` from this process's environment.
  package init() {
    self.init(environment: { ProcessInfo.processInfo.environment[$0] })
  }

  /// The largest suite file read: far beyond any real suite.
  static let maxSuiteBytes = 4 << 20

  /// Loads the suite at `path`.
  package func load(path: String) throws(SuiteError) -> Suite {
    let here = SourcePosition(file: path)
    let data: [UInt8]
    do {
      data = try BoundedFile.read(path, limit: SuiteLoader.maxSuiteBytes)
    } catch {
      throw SuiteError(here, "cannot read the suite file: \(error.reason)")
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      throw SuiteError(here, "the suite file is not valid UTF-8")
    }
    let digest = "sha256:" + SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return try parse(text: text, file: path, directory: directory, digest: digest)
  }

  /// Parses suite text; `directory` anchors relative paths.
  package func parse(text: String, file: String, directory: String, digest: String = "")
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
    var values: [SuiteKey: ConfigNode] = [:]
    for entry in try top.entries(SuiteKey.self, what: "the suite") {
      if entry.key == .gates {
        throw entry.keyNode.error(
          "'\(entry.key.rawValue)' is not supported yet by mlgate \(MLGateVersion.current)")
      }
      values[entry.key] = entry.value
    }
    func required(_ key: SuiteKey) throws(SuiteError) -> ConfigNode {
      guard let node = values[key] else {
        throw top.error("the suite has no '\(key.rawValue)' (required)")
      }
      return node
    }
    if let version = values[.version] {
      guard try version.int(in: 0...1000) == 1 else {
        throw version.error("only 'version: 1' exists")
      }
    }
    let name = try required(.name).nonEmptyString()
    let seed: UInt64
    if let node = values[.seed] {
      seed = UInt64(try node.int(in: 0...Int.max))
    } else {
      seed = 0
    }
    let task = try values[.task].map { (node) throws(SuiteError) in try parseTask(node) }
    let label = try values[.label].map { (node) throws(SuiteError) in try node.nonEmptyString() }
    var positive: String?
    if let node = values[.positive] {
      guard task == .binaryClassification else {
        throw node.error("'positive' applies only to task binary-classification")
      }
      positive = try node.nonEmptyString()
    }
    let data = try parseData(values[.data])
    var models: [ModelRole: ModelConfig] = [:]
    var missingArtifacts: [(String, SuiteError)] = []
    for role in ModelRole.allCases {
      guard let node = values[SuiteKey.of(role)] else { continue }
      guard task != nil else {
        throw node.error(
          "'\(role.suiteKey)' needs 'task:' to read its predictions (binary-classification, multiclass or regression)"
        )
      }
      models[role] = try SuiteLoader.parseModel(
        node, key: role.suiteKey, directory: directory, context: context,
        missingArtifacts: &missingArtifacts)
    }
    var outline = SuiteOutline(
      task: task, label: label, positive: positive, data: data, roles: Set(models.keys))
    outline.models = models
    let (tests, final) = try parseTests(try required(.tests), outline: outline)
    for (path, error) in missingArtifacts where !final.produced.contains(path) { throw error }
    return Suite(
      name: name, seed: seed, task: task, label: label, positive: positive, data: data,
      models: models, tests: tests, file: file, digest: digest, secrets: context.secrets)
  }

  private func parseTask(_ node: ConfigNode) throws(SuiteError) -> TaskKind {
    let text = try node.string()
    guard let task = TaskKind(rawValue: text) else {
      var message = "unknown task '\(text)'"
      let names = TaskKind.allCases.map(\.rawValue)
      if let close = TextFormat.suggestion(for: text, in: names) {
        message += " — did you mean '\(close)'?"
      } else {
        message += " (one of: \(names.joined(separator: ", ")))"
      }
      throw node.error(message)
    }
    return task
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
    case .duplicatedKeysInMapping(let duplicates, let context):
      let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
      return SuiteError(
        SourcePosition(file: file, line: context.mark.line, column: context.mark.column),
        "key \(names) appears twice in the same mapping (this is its first place)")
    default:
      // Never the whole file: some of Yams' messages quote it.
      return SuiteError(
        SourcePosition(file: file),
        "invalid YAML: \(TextFormat.trimmed("\(error)", limit: 300))")
    }
  }

  private func parseData(_ node: ConfigNode?) throws(SuiteError) -> DataConfig {
    var data = DataConfig(
      test: nil, reference: nil, missingValues: Set(DataConfig.defaultMissingValues),
      drop: [])
    guard let node else { return data }
    for entry in try node.entries(DataKey.self) {
      switch entry.key {
      case .test, .reference:
        let display = try entry.value.nonEmptyString()
        let file = DataConfig.File(path: try entry.value.filePath(), displayName: display)
        guard FileManager.default.isReadableFile(atPath: file.path) else {
          throw entry.value.error(
            "data file '\(display)' does not exist or cannot be read (looked at \(file.path))")
        }
        if entry.key == .test { data.test = file } else { data.reference = file }
      case .missingValues:
        data.missingValues = Set(try entry.value.stringList())
      case .drop:
        data.drop = try entry.value.stringList()
      case .maxLineMB:
        data.maxLineBytes = try entry.value.int(in: 1...4096) << 20
      }
    }
    return data
  }

  /// Reads a model's keys (`model:`, `baseline:`, or a model inside a section, `key`).
  static func parseModel(
    _ node: ConfigNode, key: String, directory: String, context: ConfigContext,
    missingArtifacts: inout [(String, SuiteError)]
  ) throws(SuiteError) -> ModelConfig {
    var argv: [String]?
    var endpoint: EndpointConfig?
    var env: [String: String] = [:]
    var workdir = directory
    var batch: Int?
    var config = ModelConfig(
      access: .command(argv: [], environment: [:], workingDirectory: directory), batch: 256,
      timeout: .seconds(30), startTimeout: .seconds(120), artifact: nil, classes: nil)
    var snapshot: (path: String, display: String)?
    for entry in try node.entries(ModelKey.self, what: "'\(key)'") {
      switch entry.key {
      case .endpoint:
        endpoint = try EndpointConfigParser(context: context).parse(entry.value)
      case .snapshot:
        let path = try entry.value.filePath()
        guard FileManager.default.isReadableFile(atPath: path) else {
          throw entry.value.error(
            "the snapshot '\(try entry.value.string())' does not exist (looked at \(path)); take one with: mlgate snapshot SUITE -o FILE"
          )
        }
        snapshot = (path, try entry.value.string())
      case .command:
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
      case .env:
        for variable in try entry.value.mapping() {
          env[variable.key] = try variable.value.string()
        }
      case .workingDirectory: workdir = try entry.value.filePath()
      case .batch: batch = try entry.value.int(in: 1...100_000)
      case .timeout: config.timeout = try entry.value.duration()
      case .startTimeout: config.startTimeout = try entry.value.duration()
      case .artifact:
        let path = try entry.value.filePath()
        if !FileManager.default.isReadableFile(atPath: path) {
          // Refused after 'tests' is read, unless a pipeline step builds it.
          missingArtifacts.append(
            (
              path,
              entry.value.error(
                "\(key) artifact '\(try entry.value.string())' does not exist (looked at \(path)), and no pipeline step lists it among its artifacts"
              )
            ))
        }
        config.artifact = path
      case .maxAnswerMB:
        config.maxAnswerBytes = try entry.value.int(in: 1...4096) << 20
      case .classes:
        let classes = try entry.value.stringList()
        guard classes.count >= 2, Set(classes).count == classes.count else {
          throw entry.value.error("'classes' must list at least two distinct class names")
        }
        config.classes = classes
      }
    }
    if let snapshot {
      guard argv == nil, endpoint == nil else {
        throw node.error("'\(key)' takes 'command', 'endpoint' or 'snapshot', only one")
      }
      config.access = .snapshot(path: snapshot.path, display: snapshot.display)
      config.batch = batch ?? 256
      return config
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
        "'\(key)' needs 'command' (a local process), 'endpoint' (a deployed scoring URL) or 'snapshot' (saved predictions: mlgate snapshot)"
      )
    case (.some, .some):
      throw node.error("'\(key)' takes 'command' or 'endpoint', not both")
    }
    return config
  }

  private func parseTests(_ node: ConfigNode, outline: SuiteOutline) throws(SuiteError)
    -> (TestsConfig, SuiteOutline)
  {
    let known = registry.categories.map(\.name.rawValue)
    let planned = registry.planned.map(\.rawValue)
    var found: [(category: any CheckCategory, value: ConfigNode, key: ConfigNode, order: Int)] = []
    for (order, entry) in try node.mapping(allowed: known + planned, what: "'tests'").enumerated() {
      guard let category = registry.category(named: entry.key) else {
        throw entry.keyNode.error(
          "category '\(entry.key)' is not supported yet by mlgate \(MLGateVersion.current) (supported: \(known.joined(separator: ", ")))"
        )
      }
      let lacking = SuiteLoader.lacking(category.requirements, in: outline)
      guard lacking.isEmpty else {
        throw entry.keyNode.error(
          "category '\(entry.key)' needs \(lacking.joined(separator: "; and "))")
      }
      found.append((category, entry.value, entry.keyNode, order))
    }
    guard !found.isEmpty else { throw node.error("'tests' names no checks") }
    // Sections parse in registry order, so one may use what an earlier one published (the
    // schema's constraints), and are kept in suite order.
    let rank = Dictionary(
      uniqueKeysWithValues: registry.categories.enumerated().map { ($1.name, $0) })
    var outline = outline
    var parsed: [(order: Int, section: CategorySection)] = []
    for item in found.sorted(by: {
      rank[$0.category.name, default: 0] < rank[$1.category.name, default: 0]
    }) {
      let section = try CategorySection.parse(
        item.category, item.value, key: item.key, outline: &outline)
      parsed.append((item.order, section))
    }
    return (TestsConfig(sections: parsed.sorted { $0.order < $1.order }.map(\.section)), outline)
  }

  /// What `requirements` asks for that the suite lacks, each with how to add it.
  static func lacking(_ requirements: Requirements, in outline: SuiteOutline) -> [String] {
    var have: Requirements = []
    if outline.roles.contains(.candidate) { have.insert(.model) }
    if outline.roles.contains(.baseline) { have.insert(.baseline) }
    if outline.task != nil { have.insert(.task) }
    if outline.label != nil { have.insert(.labels) }
    if outline.data.test != nil { have.insert(.testData) }
    if outline.data.reference != nil { have.insert(.referenceData) }
    return Requirements.explained.compactMap { requirement, explanation in
      requirements.contains(requirement) && !have.contains(requirement) ? explanation : nil
    }
  }
}

/// The top-level keys of a suite file.
private enum SuiteKey: String, ConfigKey {
  case version, name, description, seed, task, label, positive, data, model, tests, baseline, gates

  static func of(_ role: ModelRole) -> SuiteKey {
    switch role {
    case .candidate: return .model
    case .baseline: return .baseline
    }
  }
}

/// The keys of `data:`.
private enum DataKey: String, ConfigKey {
  case test, reference
  case missingValues = "missing_values"
  case drop
  case maxLineMB = "max_line_mb"
}

/// The keys of `model:` and `baseline:`.
private enum ModelKey: String, ConfigKey {
  case command, endpoint, snapshot, env
  case workingDirectory = "working_directory"
  case batch, timeout
  case startTimeout = "start_timeout"
  case artifact, classes
  case maxAnswerMB = "max_answer_mb"
}
