import Synchronization

/// What a model's answers showed over a whole run, for the output contract: every batch any
/// check sent passes through it.
///
/// Bounded: counts, the first examples, the largest deviations of probability sums (at most
/// ``maxDeviations``), and the first batch with its answer (to send it again).
package final class AnswerAudit: Sendable {
  /// A row whose probabilities do not sum to 1.
  package struct SumDeviation: Sendable, Equatable {
    /// The request, counted from 1 in the order the answers came.
    package var request: Int
    /// The row in the request, from 1.
    package var row: Int
    /// The sum of its probabilities.
    package var sum: Double
  }

  /// A row whose label is not one of the model's classes.
  package struct StrayLabel: Sendable, Equatable {
    /// The request, counted from 1.
    package var request: Int
    /// The row in the request, from 1.
    package var row: Int
    /// The label.
    package var label: String
    /// The classes the answer declared.
    package var classes: [String]
  }

  /// What the audit holds.
  package struct Summary: Sendable {
    /// Answers audited.
    package var requests = 0
    /// Rows audited.
    package var rows = 0
    /// Rows that had probabilities.
    package var rowsWithProbabilities = 0
    /// The largest deviations of a row's probability sum from 1, largest first (at most
    /// ``AnswerAudit/maxDeviations``, all of them when fewer rows deviate).
    package var deviations: [SumDeviation] = []
    /// Whether deviations beyond those kept were dropped.
    package var deviationsTruncated = false
    /// Rows whose label is not among the classes.
    package var strayLabels = 0
    /// The first of them.
    package var strayExamples: [StrayLabel] = []
    /// The first batch answered, and its answer.
    package var first: (input: ModelInput, answer: Predictions)?
  }

  /// Deviations kept.
  package static let maxDeviations = 1000
  /// Deviations below this are rounding, not kept.
  static let floor = 1e-12

  private let state = Mutex(Summary())

  /// Creates an empty audit.
  package init() {}

  /// Records one answer.
  package func record(_ input: ModelInput, _ answer: Predictions) {
    var deviations: [(row: Int, sum: Double)] = []
    var strays: [(row: Int, label: String)] = []
    if let matrix = answer.probabilities {
      for (row, probabilities) in matrix.enumerated() {
        let sum = probabilities.reduce(0, +)
        if abs(sum - 1) > AnswerAudit.floor { deviations.append((row + 1, sum)) }
      }
    }
    if let classes = answer.classes {
      let known = Set(classes)
      for (row, value) in answer.values.enumerated() {
        if let label = value.labelText, !known.contains(label) { strays.append((row + 1, label)) }
      }
    }
    state.withLock { summary in
      summary.requests += 1
      let request = summary.requests
      summary.rows += input.rows.count
      if answer.probabilities != nil { summary.rowsWithProbabilities += input.rows.count }
      if summary.first == nil { summary.first = (input, answer) }
      for deviation in deviations {
        summary.deviations.append(
          SumDeviation(request: request, row: deviation.row, sum: deviation.sum))
      }
      if summary.deviations.count > 2 * AnswerAudit.maxDeviations {
        summary.deviations = AnswerAudit.largest(summary.deviations)
        summary.deviationsTruncated = true
      }
      summary.strayLabels += strays.count
      for stray in strays where summary.strayExamples.count < 5 {
        summary.strayExamples.append(
          StrayLabel(
            request: request, row: stray.row, label: stray.label, classes: answer.classes ?? []))
      }
    }
  }

  /// What the audit holds now, deviations largest first.
  package var summary: Summary {
    var summary = state.withLock { $0 }
    if summary.deviations.count > AnswerAudit.maxDeviations { summary.deviationsTruncated = true }
    summary.deviations = AnswerAudit.largest(summary.deviations)
    return summary
  }

  private static func largest(_ deviations: [SumDeviation]) -> [SumDeviation] {
    Array(
      deviations.sorted {
        abs($0.sum - 1) != abs($1.sum - 1)
          ? abs($0.sum - 1) > abs($1.sum - 1)
          : ($0.request, $0.row) < ($1.request, $1.row)
      }.prefix(maxDeviations))
  }
}

/// A model whose every answer is recorded in an ``AnswerAudit``.
struct AuditedModel: Model {
  let base: any Model
  let audit: AnswerAudit

  var displayName: String { base.displayName }
  var maxConcurrency: Int { base.maxConcurrency }

  func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
    let answer = try await base.predict(batch)
    audit.record(batch, answer)
    return answer
  }

  func shutdown() async { await base.shutdown() }

  func reportProperties() async -> [(name: String, value: String)] {
    await base.reportProperties()
  }

  func probe(_ route: String, timeout: Duration) async throws(ModelError) -> ProbeAnswer {
    try await base.probe(route, timeout: timeout)
  }
}
