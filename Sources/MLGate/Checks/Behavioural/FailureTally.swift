/// The failures of one behavioural test: how many rows were tested, which failed, the worst
/// examples, and the verdict on the failure rate.
struct FailureTally {
  /// One failing row, with the text that shows it.
  struct Example {
    var severity: Double
    var text: String
  }

  /// Rows (or cases) tested.
  var tested = 0
  /// Rows that failed.
  var failed = 0
  /// Rows the perturbation left unchanged (not tested).
  var unchanged = 0
  /// Variants scored.
  var variants = 0
  /// The worst failing examples, worst first (at most ``FailureTally/shown``).
  private(set) var worst: [Example] = []

  /// How many examples the report shows.
  static let shown = 3

  /// Counts a tested row.
  mutating func add(fails: Bool, severity: Double, example: () -> String) {
    tested += 1
    guard fails else { return }
    failed += 1
    guard worst.count < FailureTally.shown || severity > worst[worst.count - 1].severity else {
      return
    }
    worst.append(Example(severity: severity, text: example()))
    worst.sort { $0.severity > $1.severity }
    if worst.count > FailureTally.shown { worst.removeLast() }
  }

  /// The report of `test` from these counts.
  func report(_ test: BehaviouralTest, describing what: String) -> CheckReport {
    let interval = WilsonInterval(successes: failed, n: tested)
    let rate = TextFormat.figure(interval.estimate)
    let ci = "95% CI [\(TextFormat.figure(interval.lower)), \(TextFormat.figure(interval.upper))]"
    let bound = QualityCheck.bound(test.maxFailureRate)
    var summary = "failure rate=\(rate) (\(failed) of \(tested) \(unit) failed) \(ci)"
    if unchanged > 0 {
      summary += ", \(unchanged) \(unchanged == 1 ? "row" : "rows") unchanged (not tested)"
    }
    var details = """
      \(test.kind.abbreviation) (\(test.kind.rawValue)): \(what)
      tested: \(tested) \(unit)\(variants > tested ? " (\(variants) variants)" : "")\(unchanged > 0 ? "; \(unchanged) rows the change left as they were are not counted" : "")
      failed: \(failed)
      failure rate = \(rate), \(ci) (Wilson)
      bound: at most \(bound) (max_failure_rate), decided on the \(test.decideOn == .estimate ? "point estimate" : "whole interval")
      """
    if !worst.isEmpty {
      details += "\n\nworst \(worst.count == 1 ? "case" : "\(worst.count) cases"):\n"
      details += worst.map { "  " + $0.text }.joined(separator: "\n")
    }
    guard tested >= test.minRows else {
      let message =
        "inconclusive: only \(tested) \(unit) tested, fewer than min_rows \(test.minRows)\(unchanged > 0 ? " (the change left \(unchanged) rows as they were)" : "")"
      return CheckReport(
        outcome: .skipped(message: message, inconclusive: true), summary: summary + "\n" + details)
    }
    let verdict = Verdict.decide(
      estimate: interval.estimate, lower: interval.lower, upper: interval.upper,
      bound: test.maxFailureRate, side: .upper, rule: test.decideOn)
    switch verdict {
    case .meets:
      return CheckReport(outcome: .passed, summary: summary + "\n" + details)
    case .misses:
      var message =
        "\(failed) of \(tested) \(unit) fail (rate \(rate), \(ci)) > max_failure_rate \(bound)"
      if let first = worst.first { message += "; worst: \(first.text)" }
      return CheckReport(outcome: .failed(message: message, details: details), summary: summary)
    case .inconclusive:
      let message =
        "inconclusive: failure rate \(rate), \(ci) straddles max_failure_rate \(bound), \(tested) \(unit)"
      return CheckReport(
        outcome: .skipped(message: message, inconclusive: true), summary: summary + "\n" + details)
    }
  }

  private var unit: String { tested == 1 ? "row" : "rows" }
}
