/// Scores rows held in memory (perturbed copies, hand-made cases, adaptive queries) through any
/// model: batched, with the model's concurrency, answers in row order.
package enum RowScoring {
  /// The predictions for `rows`, one per row, in order.
  ///
  /// - Parameters:
  ///   - rows: Feature values aligned with `featureNames`.
  ///   - featureNames: The names of the features, in column order.
  ///   - model: The model to ask.
  ///   - batchSize: Rows per request.
  ///   - what: What the rows are, for messages ("the perturbed rows of 'sex invariance'").
  /// - Returns: One prediction per row, in row order.
  /// - Throws: ``ScoringError/model(_:)`` when the model fails, naming the rows.
  package static func predict(
    _ rows: [[DataValue]], featureNames: [String], model: any Model, batchSize: Int,
    what: String
  ) async throws(ScoringError) -> Predictions {
    guard !rows.isEmpty else { return Predictions(values: [], probabilities: nil, classes: nil) }
    let (sink, _, _) = try await OrderedScoring.run(
      RowsSource(rows: rows, what: what), into: MergedPredictions(), featureNames: featureNames,
      model: model, batchSize: batchSize)
    return sink.merged
  }
}

/// A slice of in-memory rows.
package struct RowsBatch: ScorableBatch {
  package var features: [[DataValue]]
  /// The position of the first row.
  package var start: Int
  /// What the rows are.
  package var what: String

  package var origin: String { "\(start + 1)–\(start + features.count) of \(what)" }
}

/// Hands out consecutive slices of an array of rows.
private struct RowsSource: BatchSource {
  let rows: [[DataValue]]
  let what: String
  var offset = 0

  init(rows: [[DataValue]], what: String) {
    self.rows = rows
    self.what = what
  }

  mutating func next(size: Int) -> RowsBatch? {
    guard offset < rows.count else { return nil }
    let end = min(rows.count, offset + size)
    defer { offset = end }
    return RowsBatch(features: Array(rows[offset..<end]), start: offset, what: what)
  }
}

/// Concatenates the answers of consecutive batches into one.
private struct MergedPredictions: ScoreSink {
  var merged = Predictions(values: [], probabilities: nil, classes: nil)

  mutating func add(_ batch: RowsBatch, _ predictions: Predictions) throws(ScoringError) {
    func broken(_ message: String) -> ScoringError {
      .model(ModelError(.infrastructure, "\(message) (rows \(batch.origin))"))
    }
    let first = merged.values.isEmpty
    if let classes = predictions.classes {
      if let known = merged.classes, known != classes {
        throw broken("the model changed its classes between batches: \(known) then \(classes)")
      }
      merged.classes = classes
    }
    switch (predictions.probabilities, merged.probabilities) {
    case (let rows?, _) where first:
      merged.probabilities = rows
    case (let rows?, .some):
      merged.probabilities?.append(contentsOf: rows)
    case (nil, nil):
      break
    default:
      throw broken("the model gave probabilities for some batches but not others")
    }
    merged.values.append(contentsOf: predictions.values)
  }
}
