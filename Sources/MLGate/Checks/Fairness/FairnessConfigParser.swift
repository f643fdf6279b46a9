/// Reads `tests.fairness`.
///
/// ```yaml
/// fairness:
///   favourable: [No Risk]
///   attributes:
///     - { attribute: Sex, monitored: [female], reference: [male] }
///     - { attribute: Age, monitored: [[19, 25]], reference: [[26, 75]],
///         disparate_impact: [0.8, lower], statistical_parity_difference: [-0.1, lower] }
/// ```
struct FairnessConfigParser {
  let outline: SuiteOutline

  func parse(_ node: ConfigNode) throws(SuiteError) -> FairnessConfig {
    var config = FairnessConfig(favourable: [], attributes: [])
    var attributes: [ConfigNode] = []
    for entry in try node.entries(FairnessKey.self, what: "'fairness'") {
      switch entry.key {
      case .favourable: config.favourable = try entry.value.stringList()
      case .minRecords: config.minRecords = try entry.value.int(in: 1...Int.max)
      case .decideOn: config.decideOn = try entry.value.decisionRule()
      case .attributes: attributes = try entry.value.sequence()
      }
    }
    guard outline.task?.isClassification == true else {
      throw node.error("'fairness' compares favourable outcomes: it needs a classification task")
    }
    guard !config.favourable.isEmpty else {
      throw node.error(
        "'fairness' needs 'favourable:', the labels that are a good outcome for the person, e.g. [No Risk]"
      )
    }
    guard !attributes.isEmpty else {
      throw node.error(
        "'fairness' needs 'attributes:', e.g. [{attribute: Sex, monitored: [female]}]")
    }
    var seen: [String: SourcePosition] = [:]
    for item in attributes {
      let attribute = try self.attribute(item)
      if let first = seen[attribute.name] {
        throw item.error("attribute '\(attribute.name)' is already compared at \(first)")
      }
      seen[attribute.name] = attribute.position
      config.attributes.append(attribute)
    }
    return config
  }

  private func attribute(_ node: ConfigNode) throws(SuiteError) -> FairnessConfig.Attribute {
    var name: String?
    var monitored: FairnessConfig.Group?
    var reference: FairnessConfig.Group?
    var bounds: [(metric: FairnessMetric, value: Double, direction: Direction)] = []
    for entry in try node.mapping() {
      if let metric = FairnessMetric(rawValue: entry.key) {
        let form = try ThresholdForm.read(entry.value, what: "'\(entry.key)'")
        let direction = form.direction ?? .lower
        if metric == .disparateImpact, form.value <= 0 {
          throw entry.value.error(
            "disparate impact is a ratio above 0: a bound of \(form.value) means nothing")
        }
        if metric != .disparateImpact, abs(form.value) > 1 {
          throw entry.value.error("'\(entry.key)' is a difference of rates, between -1 and 1")
        }
        bounds.append((metric, form.value, direction))
        continue
      }
      switch AttributeKey(rawValue: entry.key) {
      case .attribute: name = try entry.value.nonEmptyString()
      case .monitored: monitored = try group(entry.value)
      case .reference: reference = try group(entry.value)
      case nil:
        var message = "unknown key '\(entry.key)' in a fairness attribute"
        let known = AttributeKey.allCases.map(\.rawValue) + FairnessMetric.allCases.map(\.rawValue)
        if let close = TextFormat.suggestion(for: entry.key, in: known) {
          message += " — did you mean '\(close)'?"
        }
        throw entry.keyNode.error(message)
      }
    }
    guard let name else { throw node.error("a fairness attribute needs 'attribute:' (the column)") }
    guard let monitored else {
      throw node.error(
        "attribute '\(name)' needs 'monitored:', the group watched: values [female] or ranges [[19, 25]]"
      )
    }
    if !bounds.contains(where: { $0.metric == .disparateImpact }) {
      bounds.insert((.disparateImpact, 0.8, .lower), at: 0)
    }
    return FairnessConfig.Attribute(
      name: name, monitored: monitored, reference: reference, bounds: bounds,
      position: node.position)
  }

  /// `[female]` (values) or `[[19, 25], [60, 75]]` (inclusive ranges).
  private func group(_ node: ConfigNode) throws(SuiteError) -> FairnessConfig.Group {
    let items = node.isSequence ? try node.sequence() : [node]
    guard !items.isEmpty else { throw node.error("'\(node.keyName)' names no value or range") }
    if items.allSatisfy(\.isSequence) {
      var ranges: [ClosedRange<Double>] = []
      for item in items {
        let ends = try item.sequence()
        guard ends.count == 2 else {
          throw item.error("a range is [low, high], both included, e.g. [19, 25]")
        }
        let low = try ends[0].double()
        let high = try ends[1].double()
        guard low <= high else {
          throw item.error("a range's low end must not exceed its high end")
        }
        ranges.append(low...high)
      }
      return .ranges(ranges)
    }
    return .values(try items.map { (item) throws(SuiteError) in try item.string() })
  }
}

/// The keys of `fairness`.
private enum FairnessKey: String, ConfigKey {
  case favourable
  case minRecords = "min_records"
  case decideOn = "decide_on"
  case attributes
}

/// The keys of an attribute besides its metrics.
private enum AttributeKey: String, CaseIterable {
  case attribute, monitored, reference
}
