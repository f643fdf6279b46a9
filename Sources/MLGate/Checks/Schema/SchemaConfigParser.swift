/// Reads `tests: schema:`.
///
/// ```yaml
/// schema:
///   input: schema.yml                # from `mlgate schema infer`
///   data: [test, reference]          # roles or paths (default: test, else reference)
///   max_bad_rows: 0                  # share of a column's rows allowed to break a rule
///   output: { sum_tolerance: 1e-6 }  # the output contract (default on with a model; false: off)
///   bad_input: [null, nan, missing_field]      # or { empty_batch: handle, nan: reject } or all
///   reject_status: [400, 422]        # endpoint statuses that count as a rejection (default 4xx)
/// ```
struct SchemaConfigParser {
  enum Key: String, ConfigKey {
    case input, data
    case maxBadRows = "max_bad_rows"
    case output
    case badInput = "bad_input"
    case rejectStatus = "reject_status"
  }

  enum OutputKey: String, ConfigKey {
    case sumTolerance = "sum_tolerance"
    case deterministic
    case repeatTolerance = "repeat_tolerance"
  }

  let outline: SuiteOutline

  func parse(_ node: ConfigNode) throws(SuiteError) -> SchemaConfig {
    var inputNode: ConfigNode?
    var dataNode: ConfigNode?
    var maxBadRows = 0.0
    var outputNode: ConfigNode?
    var badInputNode: ConfigNode?
    var rejectStatuses = Set(400...499)
    for entry in try node.entries(Key.self, what: "'schema'") {
      switch entry.key {
      case .input: inputNode = entry.value
      case .data: dataNode = entry.value
      case .maxBadRows:
        maxBadRows = try entry.value.double()
        guard (0..<1).contains(maxBadRows) else {
          throw entry.value.error(
            "'max_bad_rows' is a share of rows in [0, 1), found \(maxBadRows)")
        }
      case .output: outputNode = entry.value
      case .badInput: badInputNode = entry.value
      case .rejectStatus:
        rejectStatuses = []
        for item in entry.value.isSequence ? try entry.value.sequence() : [entry.value] {
          let status = try item.int(in: 100...599)
          guard status >= 400 else {
            throw item.error("a rejection is an error status (400–599), found \(status)")
          }
          rejectStatuses.insert(status)
        }
      }
    }
    guard let inputNode else {
      throw node.error(
        "'schema' needs 'input:' naming a schema file (make one with 'mlgate schema infer DATA -o schema.yml')"
      )
    }
    let schemaPath = try inputNode.filePath()
    let schemaName = try inputNode.string()
    let schema: DataSchema
    do {
      schema = try SchemaFile.load(path: schemaPath, displayName: schemaName)
    } catch {
      // The schema's own errors name its file and line; say where the suite pointed to it.
      throw SuiteError(error.position, "\(error.message) (schema named at \(inputNode.position))")
    }
    let targets = try parseTargets(dataNode, fallback: node)
    let hasModel = outline.roles.contains(.candidate)
    var output: OutputContract? =
      hasModel
      ? OutputContract(sumTolerance: 1e-6, deterministic: true, repeatTolerance: 1e-9) : nil
    if let outputNode {
      output = try parseOutput(outputNode, hasModel: hasModel)
    }
    var badInput: [BadInputCase] = []
    if let badInputNode {
      guard hasModel else {
        throw badInputNode.error(
          "'bad_input' sends payloads to the model: the suite needs 'model:'")
      }
      badInput = try parseBadInput(badInputNode)
    }
    return SchemaConfig(
      schemaFile: schemaName, schema: schema, targets: targets, maxBadRows: maxBadRows,
      output: output, badInput: badInput, rejectStatuses: rejectStatuses)
  }

  private func parseTargets(_ node: ConfigNode?, fallback: ConfigNode) throws(SuiteError)
    -> [SchemaConfig.Target]
  {
    guard let node else {
      if outline.data.test != nil { return [.role(.test)] }
      if outline.data.reference != nil { return [.role(.reference)] }
      return []
    }
    var targets: [SchemaConfig.Target] = []
    for item in node.isSequence ? try node.sequence() : [node] {
      let text = try item.nonEmptyString()
      let target: SchemaConfig.Target
      if let role = DataRole(rawValue: text) {
        guard outline.data.file(role) != nil else {
          throw item.error("'\(text)' names the suite's \(text) data, but 'data:' has no '\(text)'")
        }
        target = .role(role)
      } else {
        target = .file(DataConfig.File(path: try item.filePath(), displayName: text))
      }
      guard !targets.contains(target) else { throw item.error("'\(text)' is listed twice") }
      targets.append(target)
    }
    return targets
  }

  private func parseOutput(_ node: ConfigNode, hasModel: Bool) throws(SuiteError)
    -> OutputContract?
  {
    if !node.isMapping {
      guard try node.bool() else { return nil }
      guard hasModel else { throw node.error("the output contract needs a model: add 'model:'") }
      return OutputContract(sumTolerance: 1e-6, deterministic: true, repeatTolerance: 1e-9)
    }
    guard hasModel else { throw node.error("the output contract needs a model: add 'model:'") }
    var contract = OutputContract(sumTolerance: 1e-6, deterministic: true, repeatTolerance: 1e-9)
    for entry in try node.entries(OutputKey.self, what: "'output'") {
      switch entry.key {
      case .sumTolerance:
        contract.sumTolerance = try entry.value.double()
        guard (0..<1).contains(contract.sumTolerance) else {
          throw entry.value.error(
            "'sum_tolerance' must be in [0, 1), found \(contract.sumTolerance)")
        }
      case .deterministic: contract.deterministic = try entry.value.bool()
      case .repeatTolerance:
        contract.repeatTolerance = try entry.value.double()
        guard contract.repeatTolerance >= 0 else {
          throw entry.value.error("'repeat_tolerance' must not be negative")
        }
      }
    }
    return contract
  }

  private func parseBadInput(_ node: ConfigNode) throws(SuiteError) -> [BadInputCase] {
    func kind(_ text: String, at item: ConfigNode) throws(SuiteError) -> BadInputKind {
      guard let kind = BadInputKind(rawValue: text) else {
        let names = BadInputKind.allCases.map(\.rawValue)
        var message = "unknown bad input '\(text)'"
        if let close = TextFormat.suggestion(for: text, in: names) {
          message += " — did you mean '\(close)'?"
        } else {
          message += " (one of: all, \(names.joined(separator: ", ")))"
        }
        throw item.error(message)
      }
      return kind
    }
    var cases: [BadInputCase] = []
    func add(_ kind: BadInputKind, _ expect: BadInputExpectation, at item: ConfigNode)
      throws(SuiteError)
    {
      guard !cases.contains(where: { $0.kind == kind }) else {
        throw item.error("bad input '\(kind.rawValue)' is listed twice")
      }
      cases.append(BadInputCase(kind: kind, expect: expect))
    }
    if node.isMapping {
      for entry in try node.mapping() {
        let text = try entry.value.string()
        guard let expect = BadInputExpectation(rawValue: text) else {
          throw entry.value.error(
            "expected 'reject' or 'handle' for '\(entry.key)', found '\(text)'")
        }
        if entry.key == "all" {
          for one in BadInputKind.allCases where !cases.contains(where: { $0.kind == one }) {
            cases.append(BadInputCase(kind: one, expect: expect))
          }
        } else {
          let found = try kind(entry.key, at: entry.keyNode)
          if let index = cases.firstIndex(where: { $0.kind == found }) {
            cases[index].expect = expect  // after 'all': an override
          } else {
            try add(found, expect, at: entry.keyNode)
          }
        }
      }
    } else {
      for item in node.isSequence ? try node.sequence() : [node] {
        let text = try item.string()
        if text == "all" {
          for one in BadInputKind.allCases where !cases.contains(where: { $0.kind == one }) {
            cases.append(BadInputCase(kind: one, expect: .reject))
          }
        } else {
          try add(try kind(text, at: item), .reject, at: item)
        }
      }
    }
    guard !cases.isEmpty else { throw node.error("'bad_input' names no case") }
    return cases
  }
}
