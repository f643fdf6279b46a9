/// `mlgate snapshot`: the predictions of a suite's model on its test data, saved so that a later
/// run compares with them (`baseline: { snapshot: FILE }`) without calling that model.
package enum Snapshotting {
  /// What a snapshot run did.
  package struct Outcome: Sendable {
    /// Rows saved.
    package var rows: Int
    /// The data they belong to.
    package var data: String
    /// The model that answered.
    package var model: String
  }

  /// Scores the test data with the model playing `role` and writes the snapshot to `output`.
  package static func take(suite: Suite, role: ModelRole, output: String)
    async throws -> Outcome
  {
    guard let task = suite.task, let config = suite.models[role] else {
      throw ScoringError.suite(
        "the suite has no '\(role.suiteKey)' (the \(role.rawValue) model) to take a snapshot of")
    }
    if case .snapshot = config.access {
      throw ScoringError.suite("'\(role.suiteKey)' is already a snapshot")
    }
    guard let file = suite.data.test else {
      throw ScoringError.suite("the suite names no test data (data: { test: … }) to snapshot")
    }
    let recorder = SnapshotRecorder(base: Runner.model(config, task: task, suite: suite))
    let context = RunContext(suite: suite, models: [role: recorder], progress: nil)
    do {
      _ = try await context.scored(.test, by: role)
    } catch {
      await recorder.shutdown()
      throw error
    }
    await recorder.shutdown()
    let digest = Provenance.digest(ofFile: file.path) ?? "unknown"
    let bytes = recorder.snapshot(data: file, digest: digest, task: task)
    try ReportFile.write(bytes, to: output)
    let rows = bytes.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } - 1
    return Outcome(
      rows: rows, data: file.displayName, model: suite.secrets.redact(recorder.displayName))
  }
}
