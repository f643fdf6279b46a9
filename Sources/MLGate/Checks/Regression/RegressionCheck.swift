/// One metric on one slice: the candidate is not worse than the baseline by more than the
/// margin, with Holm-adjusted evidence: "accuracy does not drop in Sex=female".
struct RegressionCheck: Check {
  let slice: Slice
  let metric: Metric
  let config: RegressionConfig

  var category: CategoryName { .regression }
  var keptColumns: [String] { config.columns }

  var name: String {
    let verb = metric.naturalDirection == .lower ? "does not drop" : "does not rise"
    return "\(metric.rawValue) \(verb) \(slice.conditions.isEmpty ? "overall" : "in \(slice.name)")"
  }

  func run(_ context: RunContext) async throws -> CheckReport {
    let figures = try await RegressionFigures.shared(config, context)
    guard let part = figures.slices[slice.name] else {
      throw ScoringError.harness("no figures for the slice \(slice.name)")
    }
    let classes =
      context.suite.task?.isClassification == true
      ? "n \(part.n) (\(part.positives) positive, \(part.negatives) negative)" : "n \(part.n)"
    if let reason = part.inconclusive {
      return CheckReport(
        outcome: .skipped(message: reason, inconclusive: true), summary: "\(reason); \(classes)")
    }
    guard let comparison = part.comparisons[metric] else {
      let message = "\(metric.rawValue) is undefined on this slice"
      return CheckReport(outcome: .skipped(message: message, inconclusive: true), summary: message)
    }
    let margin = slice.conditions.isEmpty ? config.maxDrop : config.maxSliceDrop
    let allowed = config.relative ? margin * comparison.baseline : margin
    let higherIsBetter = metric.naturalDirection == .lower
    let drop = (comparison.baseline - comparison.candidate) * (higherIsBetter ? 1 : -1)
    let worse = higherIsBetter ? "drop" : "rise"
    let f = { (value: Double) in TextFormat.figure(value) }
    let delta = comparison.candidate - comparison.baseline
    var lines = [
      "baseline \(f(comparison.baseline)), candidate \(f(comparison.candidate)), delta \(delta >= 0 ? "+" : "")\(f(delta)), 95% CI [\(f(comparison.interval.lower)), \(f(comparison.interval.upper))]",
      "\(comparison.test); one-sided p that the candidate is worse \(TextFormat.significant(comparison.p)), Holm-adjusted over \(figures.family) comparisons \(TextFormat.significant(comparison.adjustedP))",
      classes,
      "tolerated \(worse) \(f(allowed))\(config.relative ? " (\(TextFormat.percent(margin)) of the baseline)" : ""); failing needs a larger \(worse) and an adjusted p below \(TextFormat.significant(config.alpha))",
    ]
    if let detectable = comparison.detectable {
      lines.append(
        "the smallest \(worse) these rows detect with 80% power at α \(TextFormat.significant(config.alpha)): \(f(detectable))"
      )
    } else {
      lines.append("no drop is detectable on these rows (the models agree on every row)")
    }
    let summary = lines.joined(separator: "\n")
    if drop > allowed, comparison.adjustedP < config.alpha {
      let message =
        "\(metric.rawValue) \(higherIsBetter ? "dropped" : "rose") in \(slice.name): \(f(comparison.baseline)) → \(f(comparison.candidate)) (\(f(comparison.candidate - comparison.baseline)), tolerated \(f(allowed))), adjusted p \(TextFormat.significant(comparison.adjustedP)) < \(TextFormat.significant(config.alpha)); \(classes)"
      return CheckReport(outcome: .failed(message: message, details: summary), summary: summary)
    }
    if let required = config.minDetectableDrop, (comparison.detectable ?? .infinity) > required {
      let message =
        "\(slice.name) cannot detect a \(worse) of \(f(required)) with 80% power (smallest: \(comparison.detectable.map(f) ?? "none")): too few rows to protect the gate"
      return CheckReport(outcome: .skipped(message: message, inconclusive: true), summary: summary)
    }
    return CheckReport(outcome: .passed, summary: summary)
  }
}

/// Prediction churn: the share of rows the baseline got right and the candidate gets wrong,
/// gated on its one-sided 95 % Wilson upper bound.
struct ChurnCheck: Check {
  let config: RegressionConfig
  let limit: Double

  var category: CategoryName { .regression }
  var keptColumns: [String] { config.columns }
  var name: String { "negative flip rate is at most \(QualityCheck.bound(limit))" }

  func run(_ context: RunContext) async throws -> CheckReport {
    let figures = try await RegressionFigures.shared(config, context)
    let (b, c, n) = figures.flips
    let rate = n > 0 ? Double(b) / Double(n) : 0
    let upper = WilsonInterval.upperBound(successes: b, n: n)
    let summary = """
      negative flip rate \(TextFormat.figure(rate)) (\(b) of \(n) rows the baseline got right, the candidate wrong), one-sided 95% upper bound \(TextFormat.figure(upper))
      positive flip rate \(TextFormat.figure(n > 0 ? Double(c) / Double(n) : 0)) (\(c) rows the other way)
      """
    guard upper <= limit else {
      let message =
        "the candidate gets wrong \(b) of \(n) rows the baseline got right: negative flip rate \(TextFormat.figure(rate)), upper bound \(TextFormat.figure(upper)) > \(QualityCheck.bound(limit))"
      return CheckReport(outcome: .failed(message: message, details: summary), summary: summary)
    }
    return CheckReport(outcome: .passed, summary: summary)
  }
}

extension RegressionFigures {
  /// The figures of `config`, computed once per run.
  static func shared(_ config: RegressionConfig, _ context: RunContext) async throws(ScoringError)
    -> RegressionFigures
  {
    // Both models score at once.
    async let candidateScoring = RegressionFigures.scoring(.candidate, context)
    async let baselineScoring = RegressionFigures.scoring(.baseline, context)
    let candidate = try await candidateScoring.get()
    let baseline = try await baselineScoring.get()
    let positive = context.suite.positive
    let seed = context.suite.seed
    if context.suite.task?.isClassification == true, positive == nil {
      throw .suite("'regression' needs 'positive:' (the positive class)")
    }
    return try await context.shared(FiguresKey()) { () async throws(ScoringError) in
      let result = await context.compute { () -> Result<RegressionFigures, ScoringError> in
        do throws(ScoringError) {
          return .success(
            try RegressionFigures(
              candidate: candidate, baseline: baseline, slices: config.slices, config: config,
              positive: positive, seed: seed))
        } catch {
          return .failure(error)
        }
      }
      return try result.get()
    }
  }

  private struct FiguresKey: Hashable, Sendable {}

  /// The test data's scoring by one model, as a result (`async let` keeps no typed throws).
  private static func scoring(_ role: ModelRole, _ context: RunContext) async -> Result<
    ScoredData, ScoringError
  > {
    do {
      return .success(try await context.scored(.test, by: role))
    } catch {
      return .failure(error)
    }
  }
}
