/// `tests: drift:`: whether the data has moved away from what the model was trained on.
///
/// Reference against current data, feature by feature (PSI on reference deciles or categories;
/// Kolmogorov–Smirnov / χ² with Holm's correction, or normalised Wasserstein / Jensen–Shannon
/// distances), and a dataset-level verdict. Needs no model and no labels; both files are
/// streamed, memory bounded by the bins and a seeded sample per feature. When the suite has a
/// model, its predictions on both files are compared too, in a case of their own.
struct DriftCategory: CheckCategory {
  var name: CategoryName { .drift }
  var requirements: Requirements { [] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> DriftConfig {
    try DriftConfigParser(outline: outline).parse(node)
  }

  func checks(for config: DriftConfig) -> [any Check] {
    let features: [any Check] = config.features.map { DriftCheck(feature: $0, config: config) }
    let predictions: [any Check] = config.prediction ? [PredictionDriftCheck(config: config)] : []
    return features + [DatasetDriftCheck(config: config)] + predictions
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
