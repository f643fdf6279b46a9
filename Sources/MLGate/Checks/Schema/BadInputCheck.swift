/// "the model rejects NaN in a numeric column": each payload of one kind sent to the model,
/// and its answer judged against what the suite expects.
///
/// A rejection is an error line from a command model, or an HTTP status the suite lists
/// (default: any 4xx) from an endpoint. A 5xx not listed, a crash, a hang, or a prediction
/// where a rejection was expected fails the case, naming the payload. Runs last: a bad payload
/// may break the model.
struct BadInputCheck: Check {
  let badCase: BadInputCase
  let config: SchemaConfig

  var category: CategoryName { .schema }
  var phase: CheckPhase { .last }

  var name: String {
    "the model \(badCase.expect == .reject ? "rejects" : "handles") \(badCase.kind.phrase)"
  }

  /// What the model did with one payload.
  enum Observed {
    case answered(rows: Int)
    case rejected(String)
    case serverError(Int, String)
    case broke(String)

    var text: String {
      switch self {
      case .answered(let rows): return "answered with \(rows) prediction\(rows == 1 ? "" : "s")"
      case .rejected(let message): return "rejected: \(message)"
      case .serverError(let status, let message): return "server error \(status): \(message)"
      case .broke(let message): return "broke: \(message)"
      }
    }
  }

  func run(_ context: RunContext) async throws -> CheckReport {
    let reference = try await ReferenceBatch.get(context)
    guard let base = reference.input.rows.first else {
      throw ScoringError.data(
        DataError(file: reference.origin, message: "no row to build payloads on"))
    }
    let payloads = badCase.kind.payloads(
      schema: config.schema, names: reference.input.featureNames, base: base,
      batch: context.suite.model?.batch ?? 64)
    guard !payloads.isEmpty else {
      let message = "the schema has no column \(badCase.kind.phrase) applies to"
      return CheckReport(outcome: .skipped(message: message, inconclusive: false), summary: message)
    }
    var wrong: [(BadInputPayload, Observed)] = []
    var lines: [String] = []
    for payload in payloads {
      let observed = observe(try await context.send(payload.input))
      let good: Bool
      switch (badCase.expect, observed) {
      case (.reject, .rejected), (.handle, .answered): good = true
      default: good = false
      }
      if !good { wrong.append((payload, observed)) }
      lines.append("\(good ? "ok  " : "FAIL") \(payload.description): \(observed.text)")
    }
    let summary = "payloads=\(payloads.count) wrong=\(wrong.count)"
    let details =
      "payloads built on the first row \(reference.origin), expected: \(badCase.expect.rawValue)\n"
      + lines.joined(separator: "\n")
    guard let first = wrong.first else { return CheckReport(outcome: .passed, summary: summary) }
    let verdict: String
    switch (badCase.expect, first.1) {
    case (.reject, .answered): verdict = "a silent prediction where a rejection was expected"
    case (.handle, .rejected): verdict = "rejected where a prediction was expected"
    case (_, .serverError(let status, _)):
      verdict =
        "HTTP \(status), a server error (list it in 'reject_status' if the server means a rejection)"
    case (_, .broke(let message)):
      verdict = "the model broke (\(TextFormat.trimmed(message, limit: 160)))"
    default: verdict = first.1.text
    }
    let message =
      "\(wrong.count) of \(payloads.count) payloads went wrong; first: \(first.0.description) → \(verdict)"
    return CheckReport(outcome: .failed(message: message, details: details), summary: summary)
  }

  private func observe(_ result: Result<Predictions, ModelError>) -> Observed {
    switch result {
    case .success(let answer): return .answered(rows: answer.values.count)
    case .failure(let error):
      let message = TextFormat.trimmed(error.message, limit: 300)
      if let status = error.httpStatus {
        if config.rejectStatuses.contains(status) { return .rejected(message) }
        return status >= 500 ? .serverError(status, message) : .broke(message)
      }
      return error.kind == .model ? .rejected(message) : .broke(message)
    }
  }
}

/// "the model still answers as before after the bad input": the reference batch sent again
/// after every bad payload gets the answer it got before them.
struct StillAnswersCheck: Check {
  var category: CategoryName { .schema }
  var phase: CheckPhase { .last }
  var name: String { "the model still answers as before after the bad input" }

  func run(_ context: RunContext) async throws -> CheckReport {
    let reference = try await ReferenceBatch.get(context)
    let rows = reference.input.rows.count
    let summary = "rows=\(rows)"
    switch try await context.send(reference.input) {
    case .failure(let error):
      let message = "the model no longer answers after the bad input: \(error.message)"
      return CheckReport(
        outcome: .failed(message: message, details: error.detail), summary: summary)
    case .success(let again):
      let differing = OutputContractCheck.differences(reference.answer, again, tolerance: 1e-9)
      guard !differing.isEmpty else { return CheckReport(outcome: .passed, summary: summary) }
      let message =
        "after the bad input, \(differing.count) of \(rows) rows \(reference.origin) are answered differently (first: row \(differing[0]))"
      return CheckReport(
        outcome: .failed(
          message: message,
          details: "rows answered differently: "
            + differing.map(String.init).joined(separator: ", ")),
        summary: summary)
    }
  }
}
