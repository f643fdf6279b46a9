/// `tests: adversarial:` — black-box attacks within a query budget and the data's constraints.
struct AdversarialCategory: CheckCategory {
  var name: CategoryName { .adversarial }
  var requirements: Requirements { [.model, .task, .labels] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> AdversarialConfig {
    guard outline.task?.isClassification == true else {
      throw node.error("adversarial attacks flip a classifier's decision: the task is regression")
    }
    return try AdversarialConfigParser(
      outline: outline, space: try outline.featureSpace(for: node)
    ).parse(node)
  }

  func checks(for config: AdversarialConfig) -> [any Check] {
    config.attacks.map { AdversarialCheck(spec: $0, space: config.space) }
  }
}

extension CategoryName {
  /// `tests: adversarial:`.
  package static let adversarial = CategoryName(rawValue: "adversarial")
}

extension TestsConfig {
  /// The adversarial section, if the suite has one.
  package var adversarial: AdversarialConfig? { config(of: AdversarialCategory()) }
}
