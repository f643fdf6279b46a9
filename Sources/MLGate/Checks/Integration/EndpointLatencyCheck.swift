import Histogram
import Synchronization

/// Latency percentiles and the error rate under a stated load: `requests` requests of `rows`
/// test rows, `concurrency` in flight, within `max_duration`, recorded in an HDR histogram
/// (microseconds, three significant digits).
struct EndpointLatencyCheck: Check {
  let config: EndpointIntegration
  let budget: EndpointIntegration.LatencyBudget

  var category: CategoryName { .integration }

  var name: String {
    let bounds = budget.percentiles.map {
      "p\(LatencyFigures.percentileName($0.percentile)) ≤ \(LatencyFigures.milliseconds($0.milliseconds))"
    }
    return
      "endpoint latency \(bounds.joined(separator: ", ")) at concurrency \(budget.concurrency)"
  }

  func run(_ context: RunContext) async throws -> CheckReport {
    guard let space = config.space else {
      let message = "no test data to send (data: { test: … })"
      return CheckReport(outcome: .skipped(message: message, inconclusive: false), summary: message)
    }
    let pool = try await SampledRows.get(
      context, role: .test, sample: max(256, budget.rows * 8), space: space)
    let figures = await LatencyFigures.measure(
      budget: budget, rows: pool.features, featureNames: space.names
    ) { input in
      do throws(ScoringError) {
        return try await context.send(input)
      } catch {
        return .failure(ModelError(.infrastructure, error.description))
      }
    }
    var lines = figures.lines
    var problems: [String] = []
    for bound in budget.percentiles {
      let value = figures.percentile(bound.percentile)
      let name = "p\(LatencyFigures.percentileName(bound.percentile))"
      if figures.succeeded == 0 || value > bound.milliseconds {
        problems.append(
          "\(name) = \(LatencyFigures.milliseconds(value)), above \(LatencyFigures.milliseconds(bound.milliseconds))"
        )
      }
    }
    let errorRate = figures.sent > 0 ? Double(figures.failed) / Double(figures.sent) : 1
    if errorRate > budget.maxErrorRate {
      problems.append(
        "\(figures.failed) of \(figures.sent) requests failed (\(TextFormat.percent(errorRate)), allowed \(TextFormat.percent(budget.maxErrorRate)))"
          + (figures.firstError.map { ": \($0)" } ?? ""))
    }
    if figures.sent < budget.requests {
      lines.append(
        "stopped at max_duration \(TextFormat.short(budget.maxDuration)) after \(figures.sent) of \(budget.requests) requests"
      )
    }
    let summary = lines.joined(separator: "\n")
    guard problems.isEmpty else {
      let message =
        problems.joined(separator: "; ")
        + " (\(figures.sent) requests of \(budget.rows) row\(budget.rows == 1 ? "" : "s"), concurrency \(budget.concurrency))"
      return CheckReport(outcome: .failed(message: message, details: summary), summary: summary)
    }
    return CheckReport(outcome: .passed, summary: summary)
  }
}

/// What a load run measured.
struct LatencyFigures: Sendable {
  var histogram = Histogram<UInt64>(
    lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: .three)
  var sent = 0
  var failed = 0
  var succeeded: Int { sent - failed }
  var firstError: String?
  var wall: Duration = .zero

  /// Records an answered request that took `micros` microseconds.
  mutating func record(micros: UInt64) {
    histogram.record(max(1, micros))
  }

  /// The latency at `percentile` in milliseconds (successful requests).
  func percentile(_ percentile: Double) -> Double {
    Double(histogram.valueAtPercentile(percentile)) / 1000
  }

  var lines: [String] {
    let seconds =
      Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
    var lines = [
      "\(sent) requests, \(failed) failed, in \(TextFormat.short(wall)) (\(TextFormat.figure(seconds > 0 ? Double(sent) / seconds : 0, digits: 1)) requests/s)"
    ]
    if succeeded > 0 {
      let marks = [50.0, 90, 95, 99, 99.9].map {
        "p\(LatencyFigures.percentileName($0)) \(LatencyFigures.milliseconds(percentile($0)))"
      }
      lines.append(
        "latency of the \(succeeded) answered requests: \(marks.joined(separator: ", ")), max \(LatencyFigures.milliseconds(Double(histogram.max) / 1000))"
      )
    }
    if let firstError { lines.append("first error: \(firstError)") }
    return lines
  }

  /// Sends the load through `send`, `budget.concurrency` requests at a time.
  static func measure(
    budget: EndpointIntegration.LatencyBudget, rows: [[DataValue]], featureNames: [String],
    send: @escaping @Sendable (ModelInput) async -> Result<Predictions, ModelError>
  ) async -> LatencyFigures {
    let clock = ContinuousClock()
    let started = clock.now
    let deadline = started + budget.maxDuration
    let shared = LoadState()
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<budget.concurrency {
        group.addTask {
          while clock.now < deadline {
            let index = shared.state.withLock { state -> Int? in
              guard state.next < budget.requests else { return nil }
              defer { state.next += 1 }
              return state.next
            }
            guard let index else { return }
            let batch = (0..<budget.rows).map { rows[(index * budget.rows + $0) % rows.count] }
            let sent = clock.now
            let result = await send(ModelInput(featureNames: featureNames, rows: batch))
            let took = clock.now - sent
            let micros =
              UInt64(max(0, took.components.seconds)) * 1_000_000
              + UInt64(max(0, took.components.attoseconds)) / 1_000_000_000_000
            shared.state.withLock { state in
              state.figures.sent += 1
              switch result {
              case .success: state.figures.record(micros: micros)
              case .failure(let error):
                state.figures.failed += 1
                state.figures.firstError = state.figures.firstError ?? error.message
              }
            }
          }
        }
      }
    }
    var figures = shared.state.withLock { $0.figures }
    figures.wall = clock.now - started
    return figures
  }

  /// "95", "99.9".
  static func percentileName(_ percentile: Double) -> String {
    percentile == percentile.rounded() ? String(Int(percentile)) : String(percentile)
  }

  /// "12.3 ms".
  static func milliseconds(_ value: Double) -> String {
    if value >= 1000 { return "\(TextFormat.significant(value / 1000)) s" }
    return value >= 100
      ? "\(Int(value.rounded())) ms" : "\(TextFormat.figure(value, digits: value >= 10 ? 1 : 2)) ms"
  }
}

/// The shared counters of a load run.
private final class LoadState: Sendable {
  let state = Mutex<(next: Int, figures: LatencyFigures)>((0, LatencyFigures()))
}
