/// Rows of the suite's data held in memory for the checks that perturb them.
///
/// All rows, or a seeded sample (reservoir sampling, so memory is bounded by the sample, not the file), kept
/// in file order and aligned with the feature space. Read once per run and sample size, and
/// scored once: the original predictions every invariance or directionality test compares with.
package struct SampledRows: Sendable {
  /// Feature values of each row, aligned with the feature space.
  package var features: [[DataValue]]
  /// The label of each row (missing when the data has none).
  package var labels: [DataValue]
  /// The file line of each row.
  package var lines: [Int]
  /// The file, as the suite names it.
  package var file: String
  /// Rows in the file.
  package var fileRows: Int

  /// The rows of `role` (a sample of `sample` rows when the file has more), read once per run.
  static func get(
    _ context: RunContext, role: DataRole, sample: Int?, space: FeatureSpace
  ) async throws(ScoringError) -> SampledRows {
    try await context.shared(Key(role: role, sample: sample)) { () async throws(ScoringError) in
      let suite = context.suite
      let file = try await context.dataFile(role)
      let read = await context.compute { () -> Result<SampledRows, DataError> in
        do throws(DataError) {
          return .success(
            try SampledRows.read(
              file: file, data: suite.data, label: suite.label, sample: sample, space: space,
              random: SeededRandom(seed: suite.seed, stream: "sample/\(role.rawValue)")))
        } catch {
          return .failure(error)
        }
      }
      return try read.get { ScoringError.data($0) }
    }
  }

  /// The candidate's predictions of these rows, asked once per run and sample.
  func predictions(_ context: RunContext, role: DataRole, sample: Int?, names: [String])
    async throws(ScoringError) -> Predictions
  {
    try await context.shared(PredictionsKey(role: role, sample: sample)) {
      () async throws(ScoringError) in
      try await context.predict(
        features, featureNames: names, what: "the rows of \(file) the behavioural tests change")
    }
  }

  /// Reads `file`, keeping a uniform sample of `sample` rows (all when nil or when fewer).
  static func read(
    file: DataConfig.File, data: DataConfig, label: String?, sample: Int?, space: FeatureSpace,
    random: SeededRandom
  ) throws(DataError) -> SampledRows {
    var random = random
    let table = try TableReader(
      path: file.path, displayName: file.displayName, missingValues: data.missingValues,
      maxLineBytes: data.maxLineBytes)
    let labelColumn = label.flatMap { table.columns.contains($0) ? $0 : nil }
    let reader = try LabelledBatchReader(table: table, label: labelColumn, drop: data.drop)
    var order: [Int] = []
    for name in space.names {
      guard let position = reader.featureNames.firstIndex(of: name) else {
        throw DataError(
          file: file.displayName, line: 1, field: name,
          message: "the feature is not in this file (it is in \(space.source))")
      }
      order.append(position)
    }
    var kept = SampledRows(features: [], labels: [], lines: [], file: file.displayName, fileRows: 0)
    var positions: [Int] = []
    while let batch = try reader.nextBatch(size: 1024) {
      for row in 0..<batch.count {
        let index = kept.fileRows
        kept.fileRows += 1
        let slot: Int
        if let sample, kept.features.count >= sample {
          // Algorithm R: the new row replaces a kept one with probability sample / rows seen.
          let draw = random.below(index + 1)
          guard draw < sample else { continue }
          slot = draw
        } else {
          slot = kept.features.count
          kept.features.append([])
          kept.labels.append(.missing)
          kept.lines.append(0)
          positions.append(0)
        }
        kept.features[slot] = order.map { batch.features[row][$0] }
        kept.labels[slot] = batch.labels[row]
        kept.lines[slot] = batch.lines[row]
        positions[slot] = index
      }
    }
    // Back to file order, so reports list rows as the file does.
    let sorted = positions.indices.sorted { positions[$0] < positions[$1] }
    kept.features = sorted.map { kept.features[$0] }
    kept.labels = sorted.map { kept.labels[$0] }
    kept.lines = sorted.map { kept.lines[$0] }
    return kept
  }

  private struct Key: Hashable, Sendable {
    var role: DataRole
    var sample: Int?
  }

  private struct PredictionsKey: Hashable, Sendable {
    var role: DataRole
    var sample: Int?
  }
}

extension Result where Failure == DataError {
  /// The value, or the error mapped by `transform`.
  func get<E: Error>(_ transform: (DataError) -> E) throws(E) -> Success {
    switch self {
    case .success(let value): return value
    case .failure(let error): throw transform(error)
    }
  }
}
