/// `tests: convergence:`: the training loss keeps declining.
///
/// Finite, falling, trending down, not diverging, not stuck, not overfitting. Needs no model and
/// no data.
struct ConvergenceCategory: CheckCategory {
  var name: CategoryName { .convergence }
  var requirements: Requirements { [] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> ConvergenceConfig {
    try ConvergenceConfigParser().parse(node)
  }

  func checks(for config: ConvergenceConfig) -> [any Check] {
    config.entries.enumerated().map { ConvergenceCheck(entry: $1, number: $0 + 1) }
  }
}

extension CategoryName {
  /// Loss convergence.
  package static let convergence = CategoryName(rawValue: "convergence")
}

extension TestsConfig {
  /// The convergence section, if the suite has one.
  package var convergence: ConvergenceConfig? { config(of: ConvergenceCategory()) }
}
