/// Reads a `perturb:` value: one mapping of steps, or a list of them, applied in order.
///
/// ```yaml
/// perturb: { swap: { Sex: [male, female] } }
/// perturb:
///   - set: { ExistingSavings: greater_1000 }
///   - scale: { LoanDuration: 1.5 }
///   - noise: { size: 0.1, unit: spread, columns: [LoanAmount, Age] }
///   - each_value: Housing
///   - typo: Comment                 # also upper, lower, whitespace, punctuation
/// ```
///
/// Every column must be a feature, every value must fit its column (type, bounds, domain):
/// a mistake is a suite error at its line, before any model is asked.
struct PerturbationParser {
  enum Key: String, ConfigKey {
    case set, swap
    case eachValue = "each_value"
    case shift, scale, noise
    case typo, upper, lower, whitespace, punctuation
  }

  enum NoiseKey: String, ConfigKey {
    case size, unit, columns
  }

  let space: FeatureSpace

  func parse(_ node: ConfigNode) throws(SuiteError) -> Perturbation {
    var steps: [PerturbationStep] = []
    for item in node.isSequence ? try node.sequence() : [node] {
      let entries = try item.entries(Key.self, what: "'perturb'")
      guard !entries.isEmpty else {
        throw item.error(
          "'perturb' names no change (set, swap, each_value, shift, scale, noise, typo, upper, lower, whitespace, punctuation)"
        )
      }
      for entry in entries { steps.append(contentsOf: try parseStep(entry.key, entry.value)) }
    }
    return Perturbation(steps: steps)
  }

  private func parseStep(_ key: Key, _ node: ConfigNode) throws(SuiteError) -> [PerturbationStep] {
    switch key {
    case .set:
      var assignments: [PerturbationStep.Assignment] = []
      for entry in try node.mapping(what: "'set'") {
        let column = try feature(entry.key, at: entry.keyNode)
        assignments.append(.init(column: column, value: try value(entry.value, for: column)))
      }
      return [.set(assignments)]
    case .swap:
      return try node.mapping(what: "'swap'").map { (entry) throws(SuiteError) in
        let column = try feature(entry.key, at: entry.keyNode)
        let pair = try entry.value.sequence()
        guard pair.count == 2 else {
          throw entry.value.error("'swap' takes two values of '\(entry.key)', found \(pair.count)")
        }
        let first = try value(pair[0], for: column)
        let second = try value(pair[1], for: column)
        guard first != second else { throw pair[1].error("'swap' needs two different values") }
        return .swap(column: column, first, second)
      }
    case .eachValue:
      return try node.stringList().map { (name) throws(SuiteError) in
        let column = try feature(name, at: node)
        let spec = space.features[column]
        guard let values = spec.values ?? (spec.type == .boolean ? ["false", "true"] : nil) else {
          throw node.error(
            "'each_value' needs a categorical column; '\(name)' is \(spec.type.rawValue)")
        }
        return .eachValue(column: column, values: values.map(spec.value(ofText:)))
      }
    case .shift, .scale:
      return try node.mapping(what: "'\(key.rawValue)'").map { (entry) throws(SuiteError) in
        let column = try numericFeature(entry.key, at: entry.keyNode, step: key.rawValue)
        let amount = try entry.value.double()
        return key == .shift
          ? .shift(column: column, by: amount) : .scale(column: column, by: amount)
      }
    case .noise:
      return [try parseNoise(node)]
    case .typo, .upper, .lower, .whitespace, .punctuation:
      let change = TextChange(rawValue: key.rawValue) ?? .typo
      return try node.stringList().map { (name) throws(SuiteError) in
        let column = try feature(name, at: node)
        let spec = space.features[column]
        guard spec.type == .string else {
          throw node.error(
            "'\(key.rawValue)' changes free text; '\(name)' is \(spec.type.rawValue), and the change would leave its domain"
          )
        }
        return .text(column: column, change)
      }
    }
  }

  private func parseNoise(_ node: ConfigNode) throws(SuiteError) -> PerturbationStep {
    var size: Double?
    var unit = NoiseUnit.spread
    var columns: [Int]?
    for entry in try node.entries(NoiseKey.self, what: "'noise'") {
      switch entry.key {
      case .size:
        let value = try entry.value.double()
        guard value > 0 else { throw entry.value.error("'size' must be above 0, found \(value)") }
        size = value
      case .unit:
        let text = try entry.value.string()
        guard let parsed = NoiseUnit(rawValue: text) else {
          throw entry.value.error(
            "'unit' is one of \(NoiseUnit.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'"
          )
        }
        unit = parsed
      case .columns:
        columns = try entry.value.stringList().map { (name) throws(SuiteError) in
          try numericFeature(name, at: entry.value, step: "noise")
        }
      }
    }
    guard let size else { throw node.error("'noise' needs 'size' (e.g. 0.1 with unit spread)") }
    let chosen = columns ?? space.features.indices.filter { space.features[$0].isNumeric }
    guard !chosen.isEmpty else { throw node.error("'noise' has no numeric column to change") }
    return .noise(columns: chosen, size: size, unit: unit)
  }

  /// The position of feature `name`, or a suite error with the closest name.
  func feature(_ name: String, at node: ConfigNode) throws(SuiteError) -> Int {
    if let index = space.index(of: name) { return index }
    var message = "'\(name)' is not a feature of the data (\(space.source))"
    if let close = TextFormat.suggestion(for: name, in: space.names) {
      message += " — did you mean '\(close)'?"
    }
    throw node.error(message)
  }

  private func numericFeature(_ name: String, at node: ConfigNode, step: String) throws(SuiteError)
    -> Int
  {
    let column = try feature(name, at: node)
    guard space.features[column].isNumeric else {
      throw node.error(
        "'\(step)' changes numbers; '\(name)' is \(space.features[column].type.rawValue)")
    }
    return column
  }

  /// The value `node` writes for `column`, checked against its type, bounds and domain.
  func value(_ node: ConfigNode, for column: Int) throws(SuiteError) -> DataValue {
    let spec = space.features[column]
    let text = try node.string()
    let value = spec.value(ofText: text)
    if spec.isNumeric {
      guard case .number(let number) = value, spec.type.admits(value) else {
        throw node.error("'\(spec.name)' holds \(spec.type.rawValue) values, found '\(text)'")
      }
      if let min = spec.min, number < min {
        throw node.error(
          "\(text) is below the smallest '\(spec.name)' allowed, \(QualityCheck.bound(min))")
      }
      if let max = spec.max, number > max {
        throw node.error(
          "\(text) is above the largest '\(spec.name)' allowed, \(QualityCheck.bound(max))")
      }
    } else if let values = spec.values, !values.contains(text) {
      var message = "'\(text)' is not a value of '\(spec.name)' (\(values.joined(separator: ", ")))"
      if let close = TextFormat.suggestion(for: text, in: values) {
        message = "'\(text)' is not a value of '\(spec.name)' — did you mean '\(close)'?"
      }
      throw node.error(message)
    } else if spec.type == .boolean, !ColumnType.booleanWords.contains(text.lowercased()) {
      throw node.error("'\(spec.name)' holds true or false, found '\(text)'")
    }
    return value
  }
}
