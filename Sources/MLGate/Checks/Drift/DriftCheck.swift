/// One feature has not drifted: PSI below its bounds, and no significant test (Holm-adjusted)
/// or a distance below its threshold.
struct DriftCheck: Check {
  let feature: String
  let config: DriftConfig

  var category: CategoryName { .drift }
  var name: String { "no drift in \(feature)" }

  func run(_ context: RunContext) async throws -> CheckReport {
    let figures = try await DriftFigures.shared(config, context)
    if let inconclusive = DriftFigures.tooFew(figures, config) { return inconclusive }
    guard let figure = figures.features.first(where: { $0.name == feature }) else {
      throw ScoringError.harness("no drift figures for \(feature)")
    }
    if let reason = figure.skipped {
      return CheckReport(outcome: .skipped(message: reason, inconclusive: true), summary: reason)
    }
    let verdict = DriftVerdict(figure, config)
    let lines = DriftVerdict.describe(figure, figures: figures, config: config)
    let summary = lines.joined(separator: "\n")
    return verdict.report(
      "\(feature) drifted", centre: figure.kind == .numeric ? "median" : "most common",
      figure: figure, figures: figures, summary: summary)
  }
}

/// The data as a whole has not drifted: fewer than `max_drifted_share` of its features drift.
struct DatasetDriftCheck: Check {
  let config: DriftConfig

  var category: CategoryName { .drift }

  var name: String {
    "fewer than \(TextFormat.percent(config.maxDriftedShare)) of the features drift"
  }

  func run(_ context: RunContext) async throws -> CheckReport {
    let figures = try await DriftFigures.shared(config, context)
    if let inconclusive = DriftFigures.tooFew(figures, config) { return inconclusive }
    let compared = figures.features.filter { $0.skipped == nil }
    let drifted = compared.filter { DriftVerdict($0, config).outcome == .fail }
    let share = compared.isEmpty ? 0 : Double(drifted.count) / Double(compared.count)
    let top = compared.sorted { $0.psi > $1.psi }.prefix(3).map {
      "\($0.name) (PSI \(TextFormat.figure($0.psi)))"
    }
    let method =
      figures.usesTests
      ? "Kolmogorov–Smirnov / χ², Holm-adjusted at α \(TextFormat.significant(config.alpha))"
      : "normalised Wasserstein / Jensen–Shannon ≥ \(TextFormat.significant(config.distanceThreshold))"
    let summary = """
      \(drifted.count) of \(compared.count) features drift (\(TextFormat.percent(share)))\(drifted.isEmpty ? "" : ": " + drifted.map(\.name).joined(separator: ", "))
      most shifted by PSI: \(top.joined(separator: ", "))
      reference \(figures.referenceName) (\(figures.referenceRows) rows) → current \(figures.currentName) (\(figures.currentRows) rows); PSI on reference deciles or categories, \(method)
      """
    guard share < config.maxDriftedShare else {
      let message =
        "the data drifted: \(drifted.count) of \(compared.count) features (\(TextFormat.percent(share)), limit \(TextFormat.percent(config.maxDriftedShare))); most shifted: \(top.joined(separator: ", "))"
      return CheckReport(outcome: .failed(message: message, details: summary), summary: summary)
    }
    return CheckReport(outcome: .passed, summary: summary)
  }
}

/// A feature's verdict and why (a test's p is Holm-adjusted across the features when it has
/// been, as is for the predictions).
struct DriftVerdict {
  enum Outcome: String { case pass, warn, fail }

  /// The case's report: failed with `what` and the reasons, the files and the centres; passed
  /// with a warning; or passed.
  func report(
    _ what: String, centre: String, figure: DriftFigures.Feature, figures: DriftFigures,
    summary: String
  ) -> CheckReport {
    switch outcome {
    case .fail:
      let message =
        "\(what): \(reasons.joined(separator: "; ")) (\(figures.referenceName) → \(figures.currentName); \(centre) \(figure.centre.reference) → \(figure.centre.current))"
      return CheckReport(outcome: .failed(message: message, details: summary), summary: summary)
    case .warn:
      return CheckReport(
        outcome: .passed, summary: "warning: \(reasons.joined(separator: "; "))\n" + summary)
    case .pass:
      return CheckReport(outcome: .passed, summary: summary)
    }
  }

  var outcome: Outcome = .pass
  var reasons: [String] = []

  init(_ figure: DriftFigures.Feature, _ config: DriftConfig) {
    guard figure.skipped == nil else { return }
    if figure.psi >= config.psiFail {
      outcome = .fail
      reasons.append(
        "PSI \(TextFormat.figure(figure.psi)) ≥ \(TextFormat.significant(config.psiFail))")
    }
    if let test = figure.test, (figure.adjustedP ?? test.p) < config.alpha {
      outcome = .fail
      let p = TextFormat.significant(test.p)
      let alpha = TextFormat.significant(config.alpha)
      if let adjusted = figure.adjustedP {
        reasons.append(
          "\(test.name) \(TextFormat.figure(test.statistic)), p \(p) (Holm-adjusted \(TextFormat.significant(adjusted)) < \(alpha))"
        )
      } else {
        reasons.append("\(test.name) \(TextFormat.figure(test.statistic)), p \(p) < \(alpha)")
      }
    }
    if let distance = figure.distance, distance.value >= config.distanceThreshold {
      outcome = .fail
      reasons.append(
        "\(distance.name) \(TextFormat.figure(distance.value)) ≥ \(TextFormat.significant(config.distanceThreshold))"
      )
    }
    if outcome == .pass, figure.psi >= config.psiWarn {
      outcome = .warn
      reasons.append(
        "PSI \(TextFormat.figure(figure.psi)) ≥ \(TextFormat.significant(config.psiWarn)) (a moderate shift)"
      )
    }
  }

  /// The body: every figure, and the bins that moved most.
  static func describe(
    _ figure: DriftFigures.Feature, figures: DriftFigures, config: DriftConfig
  ) -> [String] {
    var lines = [
      "PSI \(TextFormat.figure(figure.psi)) over \(figure.bins.count) \(figure.kind == .numeric ? "reference-decile bins" : "categories")"
    ]
    if let test = figure.test {
      lines[0] +=
        "; \(test.name) \(TextFormat.figure(test.statistic)), p \(TextFormat.significant(test.p))"
      if let adjusted = figure.adjustedP {
        lines[0] += ", Holm-adjusted \(TextFormat.significant(adjusted))"
      }
    }
    if let distance = figure.distance {
      lines[0] += "; \(distance.name) \(TextFormat.figure(distance.value))"
    }
    lines.append(
      "\(figure.kind.rawValue); \(figure.kind == .numeric ? "median" : "most common") \(figure.centre.reference) → \(figure.centre.current); missing \(TextFormat.percent(figure.missing.reference)) → \(TextFormat.percent(figure.missing.current))"
    )
    let moved = figure.bins.sorted {
      abs($0.current - $0.reference) > abs($1.current - $1.reference)
    }
    for bin in moved.prefix(3) {
      lines.append(
        "\(bin.label): \(TextFormat.percent(bin.reference)) → \(TextFormat.percent(bin.current))")
    }
    lines.append(
      "reference \(figures.referenceName) (\(figures.referenceRows) rows) → current \(figures.currentName) (\(figures.currentRows) rows)"
    )
    return lines
  }
}

extension DriftFigures {
  /// The figures of `config`'s pair, computed once per run whatever the number of checks.
  static func shared(_ config: DriftConfig, _ context: RunContext) async throws(ScoringError)
    -> DriftFigures
  {
    let reference = try await file(config.reference, context)
    let current = try await file(config.current, context)
    let suite = context.suite
    return try await context.shared(Key(reference: reference.path, current: current.path)) {
      () async throws(ScoringError) in
      let result = await context.compute { () -> Result<DriftFigures, DataError> in
        do throws(DataError) {
          return .success(
            try DriftFigures.compute(
              config: config, suite: suite, reference: reference, current: current))
        } catch {
          return .failure(error)
        }
      }
      return try result.get { ScoringError.data($0) }
    }
  }

  private static func file(_ source: DriftConfig.Source, _ context: RunContext)
    async throws(ScoringError) -> DataConfig.File
  {
    switch source {
    case .role(let role): return try await context.dataFile(role)
    case .file(let path, let display): return DataConfig.File(path: path, displayName: display)
    }
  }

  /// Inconclusive when the current data has fewer than `min_rows` rows.
  static func tooFew(_ figures: DriftFigures, _ config: DriftConfig) -> CheckReport? {
    guard figures.currentRows < config.minRows else { return nil }
    let message =
      "only \(figures.currentRows) rows in \(figures.currentName), fewer than min_rows \(config.minRows): too few to judge drift"
    return CheckReport(outcome: .skipped(message: message, inconclusive: true), summary: message)
  }

  private struct Key: Hashable, Sendable {
    var reference: String
    var current: String
  }
}
