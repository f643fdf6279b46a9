/// The endpoint is ready: its readiness routes answer 2xx within the deadline, polled.
struct EndpointReadinessCheck: Check {
  let config: EndpointIntegration

  var category: CategoryName { .integration }
  var name: String { "endpoint is ready within \(TextFormat.short(config.readiness.deadline))" }

  func run(_ context: RunContext) async throws -> CheckReport {
    let routes = EndpointRoutes.readiness(config.endpoint, route: config.readiness.route)
    guard !routes.isEmpty else {
      let message =
        "protocol \(config.endpoint.wireProtocol.rawValue) defines no readiness route: set 'readiness: {route: …}' (or 'health:' on the endpoint)"
      return CheckReport(outcome: .skipped(message: message, inconclusive: false), summary: message)
    }
    let model = try await context.model(.candidate)
    let clock = ContinuousClock()
    let deadline = clock.now + config.readiness.deadline
    var lines: [String] = []
    for route in routes {
      var polls = 0
      var last = ""
      while true {
        polls += 1
        let remaining = deadline - clock.now
        do throws(ModelError) {
          let answer = try await model.probe(
            route, timeout: min(.seconds(5), max(remaining, .milliseconds(100))))
          if (200..<300).contains(answer.status) {
            lines.append(
              "GET \(answer.url) → \(answer.status) after \(polls) poll\(polls == 1 ? "" : "s")")
            break
          }
          last =
            "GET \(answer.url) answered HTTP \(answer.status): \(ErrorBody.summary(answer.body, contentType: answer.contentType))"
        } catch {
          last = error.message
        }
        if clock.now + .milliseconds(500) >= deadline {
          let message =
            "the endpoint was not ready within \(TextFormat.short(config.readiness.deadline)) (\(polls) polls): \(last)"
          return CheckReport(
            outcome: .failed(
              message: message, details: (lines + [message]).joined(separator: "\n")),
            summary: (lines + [message]).joined(separator: "\n"))
        }
        try await Task.sleep(for: .milliseconds(500))
      }
    }
    return CheckReport(outcome: .passed, summary: lines.joined(separator: "\n"))
  }
}

/// The model metadata (Open Inference v2 `GET /v2/models/NAME`) names the data's features as
/// inputs: none missing, none unknown.
struct EndpointMetadataCheck: Check {
  let config: EndpointIntegration

  var category: CategoryName { .integration }
  var name: String { "endpoint metadata matches the data's columns" }

  func run(_ context: RunContext) async throws -> CheckReport {
    guard let base = EndpointRoutes.modelBase(config.endpoint) else {
      let message = "the scoring URL does not end in /infer: cannot derive the v2 metadata route"
      return CheckReport(outcome: .skipped(message: message, inconclusive: false), summary: message)
    }
    let model = try await context.model(.candidate)
    let answer = try await model.probe(base, timeout: .seconds(30))
    guard (200..<300).contains(answer.status) else {
      let message =
        "GET \(answer.url) answered HTTP \(answer.status): \(ErrorBody.summary(answer.body, contentType: answer.contentType))"
      return CheckReport(outcome: .failed(message: message, details: ""), summary: message)
    }
    let document: JSONValue
    do { document = try JSONParser.parse(answer.body) } catch {
      let message = "GET \(answer.url) answered something that is not JSON (\(error))"
      return CheckReport(outcome: .failed(message: message, details: ""), summary: message)
    }
    func names(_ key: String) -> [String] {
      document[key]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }
    let inputs = names("inputs")
    let outputs = names("outputs")
    var lines = [
      "GET \(answer.url): model \(document["name"]?.stringValue ?? "?")"
        + (document["platform"]?.stringValue.flatMap { $0.isEmpty ? nil : ", platform \($0)" } ?? ""),
      inputs.isEmpty
        ? "inputs: none declared"
        : "inputs (\(inputs.count)): \(inputs.prefix(30).joined(separator: ", "))",
      outputs.isEmpty
        ? "outputs: none declared"
        : "outputs (\(outputs.count)): \(outputs.joined(separator: ", "))",
    ]
    guard let features = config.space?.names else {
      lines.append("no test data: inputs not compared")
      return CheckReport(outcome: .passed, summary: lines.joined(separator: "\n"))
    }
    guard !inputs.isEmpty else {
      lines.append(
        "the model declares no inputs: nothing to compare with the \(features.count) features")
      return CheckReport(outcome: .passed, summary: lines.joined(separator: "\n"))
    }
    let missing = features.filter { !inputs.contains($0) }
    let unknown = inputs.filter { !features.contains($0) }
    var problems: [String] = []
    if !missing.isEmpty {
      problems.append(
        "the model declares no input for \(missing.count) feature\(missing.count == 1 ? "" : "s"): \(missing.prefix(10).joined(separator: ", "))"
      )
    }
    if !unknown.isEmpty {
      problems.append(
        "the model declares \(unknown.count) input\(unknown.count == 1 ? "" : "s") the data does not have: \(unknown.prefix(10).joined(separator: ", "))"
      )
    }
    if let wanted = config.endpoint.outputs {
      let absent = wanted.filter { !outputs.isEmpty && !outputs.contains($0) }
      if !absent.isEmpty {
        problems.append(
          "the model declares no output \(absent.joined(separator: ", ")) (the suite reads it)")
      }
    }
    let summary = lines.joined(separator: "\n")
    guard problems.isEmpty else {
      return CheckReport(
        outcome: .failed(message: problems.joined(separator: "; "), details: summary),
        summary: summary)
    }
    return CheckReport(
      outcome: .passed, summary: summary + "\nall \(features.count) features are declared inputs")
  }
}

/// One scoring request of a few test rows comes back with one prediction per row.
struct EndpointRoundTripCheck: Check {
  let config: EndpointIntegration

  var category: CategoryName { .integration }
  var name: String { "endpoint answers a scoring request" }

  func run(_ context: RunContext) async throws -> CheckReport {
    guard let space = config.space else {
      let message = "no test data to send (data: { test: … })"
      return CheckReport(outcome: .skipped(message: message, inconclusive: false), summary: message)
    }
    let rows = try await SampledRows.get(context, role: .test, sample: 8, space: space)
    let clock = ContinuousClock()
    let started = clock.now
    let result = try await context.send(ModelInput(featureNames: space.names, rows: rows.features))
    let took = clock.now - started
    switch result {
    case .failure(let error):
      let message = "the endpoint did not answer \(rows.features.count) rows: \(error.message)"
      return CheckReport(
        outcome: .failed(message: message, details: error.detail), summary: message)
    case .success(let answer):
      var summary =
        "\(rows.features.count) rows of \(rows.file) (lines \(rows.lines.map(String.init).joined(separator: ", "))) → \(answer.values.count) predictions in \(TextFormat.short(took))"
      if let first = answer.values.first?.labelText { summary += "; first: \(first)" }
      if let classes = answer.classes { summary += "; classes \(classes.joined(separator: ", "))" }
      return CheckReport(outcome: .passed, summary: summary)
    }
  }
}
