/// `tests: behavioural:` — CheckList's minimum functionality, invariance and directionality
/// tests over the features of tabular (and text) data.
struct BehaviouralCategory: CheckCategory {
  var name: CategoryName { .behavioural }
  var requirements: Requirements { [.model, .task] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> BehaviouralConfig {
    guard outline.data.test != nil || outline.data.reference != nil else {
      throw node.error(
        "behavioural tests need the data's features: add 'data: { test: … }' (or reference)")
    }
    return try BehaviouralConfigParser(outline: outline, space: try outline.featureSpace(for: node))
      .parse(node)
  }

  func checks(for config: BehaviouralConfig) -> [any Check] {
    config.tests.map { BehaviouralCheck(test: $0, space: config.space) }
  }
}

extension CategoryName {
  /// `tests: behavioural:`.
  package static let behavioural = CategoryName(rawValue: "behavioural")
}

extension TestsConfig {
  /// The behavioural section, if the suite has one.
  package var behavioural: BehaviouralConfig? { config(of: BehaviouralCategory()) }
}
