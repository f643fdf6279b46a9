/// A quality threshold on the test data: "accuracy is at least 0.8".
///
/// The figure is computed on every labelled row, with a seeded stratified bootstrap interval.
/// By default the verdict uses the point estimate, as IBM OpenScale does; with
/// `decide_on: interval` a figure whose interval straddles the bound is inconclusive.
struct QualityCheck: Check {
  let threshold: QualityConfig.Threshold
  let config: QualityConfig

  var category: CategoryName { .quality }

  var name: String {
    let side = threshold.direction == .lower ? "at least" : "at most"
    return "\(threshold.metric.rawValue) is \(side) \(QualityCheck.bound(threshold.value))"
  }

  /// Metrics computed for the positive class of a binary task.
  static let positiveClassMetrics: Set<Metric> = [
    .precision, .recall, .f1Measure, .falsePositiveRate, .areaUnderROC, .areaUnderPR, .brierScore,
  ]

  static func bound(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  func run(_ context: RunContext) async throws -> CheckReport {
    let figures = try await context.qualityFigures(config)
    let metric = threshold.metric.rawValue
    let n = figures.count
    if let reason = figures.unavailable[threshold.metric] {
      return CheckReport(
        outcome: .error(kind: .model, message: reason, details: ""), summary: reason)
    }
    if n < config.minRows {
      let message =
        "only \(n) labelled rows, fewer than min_rows \(config.minRows): too few to judge \(metric)"
      return CheckReport(outcome: .skipped(message: message, inconclusive: true), summary: message)
    }
    guard let figure = figures.figures[threshold.metric], figure.value.isFinite else {
      let message = "\(metric) is undefined on this data"
      return CheckReport(
        outcome: .error(kind: .data, message: message, details: ""), summary: message)
    }
    let level = Int((figures.level * 100).rounded())
    let interval =
      "\(level)% CI [\(TextFormat.figure(figure.lower)), \(TextFormat.figure(figure.upper))]"
    let value = TextFormat.figure(figure.value)
    let bound = QualityCheck.bound(threshold.value)
    let lower = threshold.direction == .lower
    let alpha = TextFormat.significant((1 - figures.level) / 2)
    let power =
      figure.detectable.map {
        "these rows detect a shortfall of \(TextFormat.figure($0)) below the bound with 80% power (one-sided α \(alpha))"
      } ?? "no shortfall is detectable: every resample gives the same value"
    let summary = "\(metric)=\(value) \(interval) n=\(n)\n\(power)"
    var details = """
      \(metric) = \(value)
      \(interval) (stratified percentile bootstrap, \(figures.resamples) resamples, seed from the suite)
      n = \(n) labelled rows
      bound: \(lower ? "at least" : "at most") \(bound) (\(lower ? "lower" : "upper") limit), decided on the \(config.decideOn == .estimate ? "point estimate" : "whole interval")
      \(power)
      """
    if let positive = figures.positiveClass,
      QualityCheck.positiveClassMetrics.contains(threshold.metric)
    {
      details += "\npositive class: \(positive)"
    }
    if !figures.perClass.isEmpty { details += "\n\nper class:\n" + figures.perClass }
    let verdict = Verdict.decide(
      estimate: figure.value, lower: figure.lower, upper: figure.upper, bound: threshold.value,
      side: threshold.direction, rule: config.decideOn)
    switch verdict {
    case .meets:
      if let required = config.minDetectableDrop, (figure.detectable ?? .infinity) > required {
        let message =
          "inconclusive: \(metric) \(value) meets the bound, but these \(n) rows cannot detect a shortfall of \(QualityCheck.bound(required)) with 80% power (smallest: \(figure.detectable.map { TextFormat.figure($0) } ?? "none")): too few to protect the gate"
        return CheckReport(
          outcome: .skipped(message: message, inconclusive: true), summary: summary + "\n" + details
        )
      }
      return CheckReport(outcome: .passed, summary: summary)
    case .misses:
      let comparison = lower ? "<" : ">"
      let message =
        "\(metric) \(value) \(comparison) \(bound) (\(lower ? "lower" : "upper") limit), \(interval), n=\(n)"
      return CheckReport(outcome: .failed(message: message, details: details), summary: summary)
    case .inconclusive:
      let message =
        "inconclusive: \(metric) \(value), \(interval) straddles the \(lower ? "lower" : "upper") limit \(bound), n=\(n)"
      return CheckReport(
        outcome: .skipped(message: message, inconclusive: true), summary: summary + "\n" + details)
    }
  }
}
