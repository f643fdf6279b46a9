/// `tests: fairness:`: favourable outcomes across groups of a protected attribute.
///
/// IBM OpenScale's metrics and defaults: disparate impact (lower limit 0.8, with Katz's
/// interval), statistical parity, equal opportunity and average odds differences, a minimum
/// group size, numeric attributes by ranges.
struct FairnessCategory: CheckCategory {
  var name: CategoryName { .fairness }
  var requirements: Requirements { [.model, .task, .labels, .testData] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> FairnessConfig {
    try FairnessConfigParser(outline: outline).parse(node)
  }

  func checks(for config: FairnessConfig) -> [any Check] {
    config.attributes.flatMap { attribute in
      attribute.bounds.map {
        FairnessCheck(
          attribute: attribute, metric: $0.metric, bound: $0.value, direction: $0.direction,
          config: config)
      }
    }
  }
}

extension CategoryName {
  /// Fairness.
  package static let fairness = CategoryName(rawValue: "fairness")
}

extension TestsConfig {
  /// The fairness section, if the suite has one.
  package var fairness: FairnessConfig? { config(of: FairnessCategory()) }
}
