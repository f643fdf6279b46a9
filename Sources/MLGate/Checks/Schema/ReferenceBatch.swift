/// The first batch of the test data (else the reference data) with the candidate's answer to
/// it, asked once per run: the base row of every bad payload, and the answer the model must
/// still give after them.
struct ReferenceBatch: Sendable {
  /// The batch as sent.
  var input: ModelInput
  /// Where its rows come from, for messages.
  var origin: String
  /// The model's answer before any bad input.
  var answer: Predictions

  /// The run's reference batch.
  static func get(_ context: RunContext) async throws(ScoringError) -> ReferenceBatch {
    try await context.shared(Key()) { () async throws(ScoringError) in
      let suite = context.suite
      let role: DataRole = suite.data.test != nil ? .test : .reference
      let file = try await context.dataFile(role)
      let size = suite.model?.batch ?? 64
      let label = suite.label
      let read = await context.compute { () -> Result<(LabelledBatch, [String])?, DataError> in
        do throws(DataError) {
          let table = try TableReader(
            path: file.path, displayName: file.displayName,
            missingValues: suite.data.missingValues, maxLineBytes: suite.data.maxLineBytes)
          let columns = table.columns
          let reader = try LabelledBatchReader(
            table: table, label: label.flatMap { columns.contains($0) ? $0 : nil },
            drop: suite.data.drop)
          guard let batch = try reader.nextBatch(size: size) else { return .success(nil) }
          return .success((batch, reader.featureNames))
        } catch {
          return .failure(error)
        }
      }
      let batch: LabelledBatch
      let names: [String]
      switch read {
      case .failure(let error): throw .data(error)
      case .success(nil):
        throw .data(DataError(file: file.displayName, message: "the file has no rows"))
      case .success(let found?): (batch, names) = found
      }
      let input = ModelInput(featureNames: names, rows: batch.features)
      switch try await context.send(input) {
      case .success(let answer):
        return ReferenceBatch(input: input, origin: batch.origin, answer: answer)
      case .failure(let error): throw .model(error)
      }
    }
  }

  private struct Key: Hashable, Sendable {}
}
