/// One fairness metric of one protected attribute against its bound: "disparate impact of Sex
/// (female vs male) is at least 0.8".
struct FairnessCheck: Check {
  let attribute: FairnessConfig.Attribute
  let metric: FairnessMetric
  let bound: Double
  let direction: Direction
  let config: FairnessConfig

  var category: CategoryName { .fairness }
  var keptColumns: [String] { [attribute.name] }

  var reference: String { attribute.reference?.description ?? "the others" }

  var name: String {
    "\(metric.words) of \(attribute.name) (\(attribute.monitored.description) vs \(reference)) is \(direction == .lower ? "at least" : "at most") \(QualityCheck.bound(bound))"
  }

  func run(_ context: RunContext) async throws -> CheckReport {
    let scored = try await context.scored()
    let figures = try FairnessFigures(attribute, favourable: config.favourable, scored: scored)
    let m = figures.monitored
    let r = figures.reference
    var lines = [
      "monitored \(attribute.monitored.description): \(m.n) rows, \(m.favourable) favourable (\(TextFormat.percent(m.rate)))",
      "reference \(reference): \(r.n) rows, \(r.favourable) favourable (\(TextFormat.percent(r.rate)))",
      "favourable: \(config.favourable.joined(separator: ", ")); predictions of \(scored.file.displayName)",
    ]
    if metric == .equalOpportunityDifference || metric == .averageOddsDifference {
      lines.append(
        "true positive rate (favourable) \(TextFormat.figure(m.truePositiveRate)) vs \(TextFormat.figure(r.truePositiveRate)); false positive rate \(TextFormat.figure(m.falsePositiveRate)) vs \(TextFormat.figure(r.falsePositiveRate))"
      )
    }
    let smallest = min(m.n, r.n)
    guard smallest >= config.minRecords else {
      let message =
        "the \(m.n < r.n ? "monitored" : "reference") group has \(smallest) rows, fewer than min_records \(config.minRecords): too few to judge \(metric.words)"
      return CheckReport(
        outcome: .skipped(message: message, inconclusive: true),
        summary: ([message] + lines).joined(separator: "\n"))
    }
    let figure = figures.figure(metric)
    guard figure.estimate.isFinite else {
      let message = "\(metric.words) is undefined: a group has no row to compare"
      return CheckReport(
        outcome: .skipped(message: message, inconclusive: true),
        summary: ([message] + lines).joined(separator: "\n"))
    }
    let interval =
      figure.lower.isFinite
      ? ", 95% CI [\(TextFormat.figure(figure.lower)), \(TextFormat.figure(figure.upper))]" : ""
    let headline = "\(metric.rawValue)=\(TextFormat.figure(figure.estimate))\(interval)"
    lines.insert(headline, at: 0)
    let summary = lines.joined(separator: "\n")
    let verdict = Verdict.decide(
      estimate: figure.estimate, lower: figure.lower, upper: figure.upper, bound: bound,
      side: direction, rule: figure.lower.isFinite ? config.decideOn : .estimate)
    switch verdict {
    case .meets: return CheckReport(outcome: .passed, summary: summary)
    case .misses:
      let message =
        "\(metric.words) of \(attribute.name) \(TextFormat.figure(figure.estimate)) \(direction == .lower ? "<" : ">") \(QualityCheck.bound(bound))\(interval): favourable \(TextFormat.percent(m.rate)) of \(m.n) \(attribute.monitored.description) vs \(TextFormat.percent(r.rate)) of \(r.n) \(reference)"
      return CheckReport(outcome: .failed(message: message, details: summary), summary: summary)
    case .inconclusive:
      let message =
        "\(metric.words) of \(attribute.name) \(TextFormat.figure(figure.estimate)): the interval straddles \(QualityCheck.bound(bound))\(interval)"
      return CheckReport(outcome: .skipped(message: message, inconclusive: true), summary: summary)
    }
  }
}
