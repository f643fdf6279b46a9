/// `tests: drift:`: whether the data has moved away from what the model was trained on.
///
/// Reference against current data, feature by feature (PSI on reference deciles or categories;
/// Kolmogorov–Smirnov / χ² with Holm's correction, or normalised Wasserstein / Jensen–Shannon
/// distances), and a dataset-level verdict. Needs no model and no labels; both files are
/// streamed, memory bounded by the bins and a seeded sample per feature.
struct DriftCategory: CheckCategory {
  var name: CategoryName { .drift }
  var requirements: Requirements { [] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> DriftConfig {
    try DriftConfigParser(outline: outline).parse(node)
  }

  func checks(for config: DriftConfig) -> [any Check] {
    config.features.map { DriftCheck(feature: $0, config: config) } + [
      DatasetDriftCheck(config: config)
    ]
  }
}

extension CategoryName {
  /// Data drift.
  package static let drift = CategoryName(rawValue: "drift")
}

extension TestsConfig {
  /// The drift section, if the suite has one.
  package var drift: DriftConfig? { config(of: DriftCategory()) }
}
