/// Reads `tests.quality`: thresholds in IBM OpenScale's forms plus a few options.
///
/// Accepted for each metric: `accuracy: 0.8` (the metric's natural direction), `accuracy: [0.8,
/// lower]`, `accuracy: {threshold: [0.8, lower]}`, `accuracy: {threshold: 0.8}`, and
/// `accuracy: {type: lower_limit, value: 0.8}`; and a list of OpenScale threshold objects under
/// `thresholds: [{metric_id: accuracy, type: lower_limit, value: 0.8}]`.
struct QualityConfigParser {
  let task: TaskKind
  static let options = QualityOption.allCases.map(\.rawValue)

  func parse(_ node: ConfigNode) throws(SuiteError) -> QualityConfig {
    var config = QualityConfig(
      thresholds: [], confidenceLevel: 0.95, resamples: 2000, decideOn: .estimate, minRows: 30)
    let entries = try node.mapping()
    for entry in entries {
      guard let option = QualityOption(rawValue: entry.key) else {
        let metric = try metricNamed(entry.key, at: entry.keyNode)
        var parsed = try threshold(for: metric, entry.value)
        parsed.position = entry.keyNode.position
        config.thresholds.append(parsed)
        continue
      }
      switch option {
      case .confidenceLevel:
        let level = try entry.value.double()
        guard level > 0.5, level < 1 else {
          throw entry.value.error("'confidence_level' must be between 0.5 and 1, e.g. 0.95")
        }
        config.confidenceLevel = level
      case .bootstrap: config.resamples = try entry.value.int(in: 100...100_000)
      case .minRows: config.minRows = try entry.value.int(in: 1...Int.max)
      case .minDetectableDrop:
        let drop = try entry.value.double()
        guard drop > 0 else {
          throw entry.value.error("'min_detectable_drop' must be above 0, e.g. 0.02")
        }
        config.minDetectableDrop = drop
      case .decideOn: config.decideOn = try entry.value.decisionRule()
      case .thresholds:
        for item in try entry.value.sequence() {
          config.thresholds.append(try openScaleObject(item))
        }
      }
    }
    var seen: [Metric: SourcePosition] = [:]
    for threshold in config.thresholds {
      let range = threshold.metric.range
      if !range.contains(threshold.value) {
        let always = (threshold.value < range.lowerBound) == (threshold.direction == .lower)
        throw SuiteError(
          threshold.position,
          "\(threshold.metric.rawValue) lies in \(QualityConfigParser.describe(range)): a bound of \(QualityCheck.bound(threshold.value)) as \(threshold.direction == .lower ? "a lower" : "an upper") limit would \(always ? "always pass" : "never pass")"
        )
      }
      if let first = seen[threshold.metric] {
        throw SuiteError(
          threshold.position,
          "metric '\(threshold.metric.rawValue)' is gated twice (first at \(first))")
      }
      seen[threshold.metric] = threshold.position
    }
    guard !config.thresholds.isEmpty else {
      throw node.error("'quality' names no metric: add e.g. 'accuracy: [0.8, lower]'")
    }
    return config
  }

  /// `[0, 1]`, `[0, ∞)`, `(-∞, 1]`.
  static func describe(_ range: ClosedRange<Double>) -> String {
    let low = range.lowerBound.isInfinite ? "(-∞" : "[\(QualityCheck.bound(range.lowerBound))"
    let high = range.upperBound.isInfinite ? "∞)" : "\(QualityCheck.bound(range.upperBound))]"
    return "\(low), \(high)"
  }

  private func metricNamed(_ name: String, at node: ConfigNode) throws(SuiteError) -> Metric {
    guard let metric = Metric.named(name) else {
      var message = "unknown metric '\(name)' in 'quality'"
      if let close = TextFormat.suggestion(
        for: name, in: Metric.allNames + QualityConfigParser.options)
      {
        message += " — did you mean '\(close)'?"
      } else {
        let names = Metric.allCases.filter { $0.applies(to: task) }.map(\.rawValue)
        message += " (metrics for \(task.rawValue): \(names.joined(separator: ", ")))"
      }
      throw node.error(message)
    }
    guard metric.applies(to: task) else {
      let names = Metric.allCases.filter { $0.applies(to: task) }.map(\.rawValue)
      throw node.error(
        "metric '\(metric.rawValue)' does not apply to a \(task.rawValue) task (use one of: \(names.joined(separator: ", ")))"
      )
    }
    return metric
  }

  private func threshold(for metric: Metric, _ node: ConfigNode) throws(SuiteError)
    -> QualityConfig.Threshold
  {
    let form = try ThresholdForm.read(node, what: "'\(metric.rawValue)'")
    return .init(
      metric: metric, value: form.value, direction: form.direction ?? metric.naturalDirection,
      position: node.position)
  }

  private func openScaleObject(_ node: ConfigNode) throws(SuiteError) -> QualityConfig.Threshold {
    var metric: Metric?
    var value: Double?
    var side: Direction?
    for entry in try node.entries(OpenScaleThresholdKey.self, what: "an OpenScale threshold") {
      switch entry.key {
      case .metricID: metric = try metricNamed(try entry.value.string(), at: entry.value)
      case .type: side = try ThresholdForm.direction(entry.value)
      case .value: value = try entry.value.double()
      }
    }
    guard let metric, let value else {
      throw node.error(
        "an OpenScale threshold needs 'metric_id' and 'value': {metric_id: accuracy, type: lower_limit, value: 0.8}"
      )
    }
    return .init(
      metric: metric, value: value, direction: side ?? metric.naturalDirection,
      position: node.position)
  }
}

/// The options of `tests.quality` (every other key names a metric).
private enum QualityOption: String, ConfigKey {
  case confidenceLevel = "confidence_level"
  case bootstrap
  case decideOn = "decide_on"
  case minRows = "min_rows"
  case minDetectableDrop = "min_detectable_drop"
  case thresholds
}

/// The keys of an OpenScale threshold object: `{metric_id: accuracy, type: lower_limit, …}`.
private enum OpenScaleThresholdKey: String, ConfigKey {
  case metricID = "metric_id"
  case type, value
}
