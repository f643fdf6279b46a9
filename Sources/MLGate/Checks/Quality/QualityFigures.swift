extension RunContext {
  /// The figures of every metric `config` gates, with bootstrap intervals: computed once per
  /// configuration, however many checks ask and however concurrently.
  func qualityFigures(_ config: QualityConfig) async throws(ScoringError) -> QualityFigures {
    let seed = suite.seed
    return try await shared(config) { () async throws(ScoringError) in
      let scored = try await self.scored(.test, by: .candidate)
      return await self.compute { QualityFigures(config: config, scored: scored, seed: seed) }
    }
  }
}

/// Point estimates and bootstrap intervals of the gated quality metrics.
struct QualityFigures: Sendable {
  struct Figure: Sendable {
    var value: Double
    var lower: Double
    var upper: Double
    /// The smallest shortfall below the bound that these rows detect with 80 % power, testing
    /// one-sided at the interval's tail: (z₁₋α + z₀.₈) × the bootstrap standard error; nil when
    /// every resample gives the same value.
    var detectable: Double?
  }

  var figures: [Metric: Figure] = [:]
  var unavailable: [Metric: String] = [:]
  var count: Int
  var perClass: String
  /// The positive class of a binary task, named in the details of the metrics that depend on it.
  var positiveClass: String?
  var level: Double
  var resamples: Int

  init(config: QualityConfig, scored: ScoredData, seed: UInt64) {
    let engine = MetricEngine(scored.evaluation)
    count = scored.rows
    level = config.confidenceLevel
    resamples = config.resamples
    var computable: [Metric] = []
    for threshold in config.thresholds {
      if let reason = engine.unavailability(threshold.metric) {
        unavailable[threshold.metric] = reason
      } else {
        computable.append(threshold.metric)
      }
    }
    let intervals = Bootstrap(
      resamples: config.resamples, level: config.confidenceLevel, seed: seed
    )
    .intervals(computable, engine: engine)
    let power =
      NormalDistribution.quantile(1 - (1 - config.confidenceLevel) / 2)
      + NormalDistribution.quantile(0.8)
    for metric in computable {
      let value = engine.value(metric)
      let interval =
        intervals[metric] ?? Bootstrap.Interval(lower: .nan, upper: .nan, standardError: 0)
      figures[metric] = Figure(
        value: value, lower: interval.lower, upper: interval.upper,
        detectable: interval.standardError > 0 ? power * interval.standardError : nil)
    }
    perClass = QualityFigures.perClassTable(scored.evaluation)
    if case .classification(let data) = scored.evaluation, let positive = data.positive {
      positiveClass = data.classes[positive]
    }
  }

  /// Precision, recall, F1 and support per class (multiclass only), as aligned text.
  static func perClassTable(_ evaluation: Evaluation) -> String {
    guard case .classification(let data) = evaluation, data.classes.count > 2 else { return "" }
    let matrix = ConfusionMatrix(data, weights: nil)
    let width = max(5, data.classes.map(\.count).max() ?? 5)
    func pad(_ text: String) -> String {
      text + String(repeating: " ", count: max(0, width - text.count))
    }
    var lines = ["\(pad("class"))  precision  recall  f1      support"]
    for (c, name) in data.classes.enumerated().prefix(50) {
      lines.append(
        "\(pad(name))  \(TextFormat.figure(matrix.precision(of: c)))     \(TextFormat.figure(matrix.recall(of: c)))  \(TextFormat.figure(matrix.f1(of: c)))  \(Int(matrix.rowSums[c]))"
      )
    }
    if data.classes.count > 50 { lines.append("… \(data.classes.count - 50) more classes") }
    return lines.joined(separator: "\n")
  }
}
