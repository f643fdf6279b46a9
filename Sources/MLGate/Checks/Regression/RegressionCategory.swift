/// `tests: regression:`: the candidate against the model in production on the same rows.
///
/// Overall and per slice (columns, numeric bins, crosses of two), accuracy by exact McNemar,
/// area under ROC by DeLong and every other metric (regression tasks' errors included) by a
/// paired stratified bootstrap, Holm-adjusted across every comparison; a comparison fails only
/// when the change for the worse exceeds the margin and the adjusted p is below α. Prediction
/// churn on request (classifiers).
struct RegressionCategory: CheckCategory {
  var name: CategoryName { .regression }
  var requirements: Requirements { [.model, .baseline, .task, .labels, .testData] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> RegressionConfig {
    try RegressionConfigParser(outline: outline).parse(node)
  }

  func checks(for config: RegressionConfig) -> [any Check] {
    var checks: [any Check] = []
    for slice in [Slice.overall] + config.slices {
      for metric in config.metrics {
        checks.append(RegressionCheck(slice: slice, metric: metric, config: config))
      }
    }
    if let limit = config.maxNegativeFlipRate {
      checks.append(ChurnCheck(config: config, limit: limit))
    }
    return checks
  }
}

extension CategoryName {
  /// Candidate against baseline.
  package static let regression = CategoryName(rawValue: "regression")
}

extension TestsConfig {
  /// The regression section, if the suite has one.
  package var regression: RegressionConfig? { config(of: RegressionCategory()) }
}
