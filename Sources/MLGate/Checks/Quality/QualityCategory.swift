/// `tests: quality:` — thresholds on quality metrics of the test data, in IBM OpenScale's forms.
struct QualityCategory: CheckCategory {
  var name: CategoryName { .quality }
  var requirements: Requirements { [.model, .task, .labels, .testData] }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> QualityConfig {
    guard let task = outline.task else { throw node.error("'quality' needs 'task:'") }
    return try QualityConfigParser(task: task).parse(node)
  }

  func checks(for config: QualityConfig) -> [any Check] {
    config.thresholds.map { QualityCheck(threshold: $0, config: config) }
  }
}

extension CategoryName {
  /// Quality thresholds.
  package static let quality = CategoryName(rawValue: "quality")
}

extension TestsConfig {
  /// The quality section, if the suite has one.
  package var quality: QualityConfig? { config(of: QualityCategory()) }
}

/// Quality thresholds on the test data.
package struct QualityConfig: Sendable, Hashable {
  /// One gated metric.
  package struct Threshold: Sendable, Hashable {
    /// The metric.
    package var metric: Metric
    /// The bound.
    package var value: Double
    /// Whether the bound is a lower or an upper limit.
    package var direction: Direction
    /// Where the threshold is written.
    package var position: SourcePosition
  }

  /// The gated metrics, in suite order.
  package var thresholds: [Threshold]
  /// Confidence level of the intervals (0.95).
  package var confidenceLevel: Double
  /// Bootstrap resamples (2000).
  package var resamples: Int
  /// Whether a verdict uses the point estimate (OpenScale) or the whole interval.
  package var decideOn: DecisionRule
  /// Fewer labelled rows than this make every quality check inconclusive.
  package var minRows: Int
  /// A check whose rows cannot detect a shortfall this large with 80 % power is inconclusive
  /// rather than passed.
  package var minDetectableDrop: Double?
}
