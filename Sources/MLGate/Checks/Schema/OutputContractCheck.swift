/// "the model's answers meet the output contract": over every batch the run sent, by every
/// category — probabilities summing to 1, labels among the declared classes — and the same
/// batch sent again gets the same answer.
///
/// Runs last, so that it judges every batch. Shape, counts, finite values and probabilities
/// within [0, 1] are enforced on every answer as it is decoded (an `<error>` where it happens).
struct OutputContractCheck: Check {
  let contract: OutputContract

  var category: CategoryName { .schema }
  var phase: CheckPhase { .last }
  var name: String { "the model's answers meet the output contract" }

  func run(_ context: RunContext) async throws -> CheckReport {
    guard let audit = context.audit(.candidate) else {
      throw ScoringError.suite("the output contract needs a model: add 'model:'")
    }
    if audit.summary.requests == 0 { _ = try await ReferenceBatch.get(context) }
    let seen = audit.summary
    var breaches: [String] = []
    var details: [String] = []
    let off = seen.deviations.filter { abs($0.sum - 1) > contract.sumTolerance }
    if !off.isEmpty {
      let count =
        seen.deviationsTruncated && off.count == seen.deviations.count
        ? "at least \(off.count)" : "\(off.count)"
      let worst = off[0]
      breaches.append(
        "\(count) of \(seen.rowsWithProbabilities) rows have probabilities that do not sum to 1 ± \(TextFormat.scientific(contract.sumTolerance)) (worst: request \(worst.request), row \(worst.row) sums to \(TextFormat.figure(worst.sum, digits: 6)))"
      )
      details.append(
        "rows whose probabilities do not sum to 1 (largest deviations first):\n"
          + off.prefix(10).map {
            "  request \($0.request), row \($0.row): sum \(TextFormat.figure($0.sum, digits: 9))"
          }.joined(separator: "\n"))
    }
    if seen.strayLabels > 0, let first = seen.strayExamples.first {
      breaches.append(
        "\(seen.strayLabels) predicted labels are not among the classes (request \(first.request), row \(first.row): '\(first.label)' not in \(first.classes.joined(separator: ", ")))"
      )
      details.append(
        "labels outside the declared classes:\n"
          + seen.strayExamples.map {
            "  request \($0.request), row \($0.row): '\($0.label)'"
          }.joined(separator: "\n"))
    }
    if contract.deterministic, let first = seen.first {
      switch try await context.send(first.input) {
      case .failure(let error):
        breaches.append("the first batch sent again was refused: \(error.message)")
      case .success(let again):
        let differing = OutputContractCheck.differences(
          first.answer, again, tolerance: contract.repeatTolerance)
        if !differing.isEmpty {
          breaches.append(
            "the first batch sent again got \(differing.count) different answers of \(first.input.rows.count) (row \(differing[0]))"
          )
          details.append(
            "rows of the first batch answered differently the second time: "
              + differing.prefix(20).map(String.init).joined(separator: ", "))
        }
      }
    }
    let summary = "requests=\(seen.requests) rows=\(seen.rows)"
    guard !breaches.isEmpty else { return CheckReport(outcome: .passed, summary: summary) }
    let message = breaches.joined(separator: "; ")
    let body =
      "\(seen.requests) answers, \(seen.rows) rows audited\n" + details.joined(separator: "\n")
    return CheckReport(outcome: .failed(message: message, details: body), summary: summary)
  }

  /// The rows (from 1) whose label or scores differ beyond `tolerance`.
  static func differences(_ first: Predictions, _ second: Predictions, tolerance: Double) -> [Int] {
    guard first.values.count == second.values.count else { return [1] }
    var rows: [Int] = []
    for index in first.values.indices {
      var same: Bool
      switch (first.values[index], second.values[index]) {
      case (.number(let a), .number(let b)): same = abs(a - b) <= tolerance
      case (let a, let b): same = a == b
      }
      if same, let p = first.probabilities?[index], let q = second.probabilities?[index] {
        same = p.count == q.count && zip(p, q).allSatisfy { abs($0 - $1) <= tolerance }
      }
      if !same { rows.append(index + 1) }
    }
    return rows
  }
}
