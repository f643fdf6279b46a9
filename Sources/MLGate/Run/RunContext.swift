import Dispatch

/// What the checks of one run share: the suite, the models and data by role, and figures
/// computed once.
///
/// A service, not a bag of state: checks ask it for scored data, predictions of rows they made,
/// or any figure through ``shared(_:_:)``, a single-flight memo. A figure several checks need
/// (the scored test data, the quality figures) is computed once even when the checks run
/// concurrently, and a failure is remembered and given to every check that asks.
package actor RunContext {
  /// The suite being run.
  package let suite: Suite
  private let models: [ModelRole: any Model]
  private let audits: [ModelRole: AnswerAudit]
  private let keep: [String]
  private let progress: (@Sendable (Int) -> Void)?
  /// Where checks write files beside the report (plots); nil when there is no place for them.
  package nonisolated let attachments: ReportAttachments?
  private var memo: [AnyHashable: Task<Result<any Sendable, ScoringError>, Never>] = [:]
  private var blocked: String?

  /// Creates a context over `models`; `keep` names the test-data columns kept beside the
  /// predictions (the union of what the checks ask for).
  package init(
    suite: Suite, models: [ModelRole: any Model], keep: [String] = [],
    attachments: ReportAttachments? = nil, progress: (@Sendable (Int) -> Void)?
  ) {
    self.attachments = attachments
    self.suite = suite
    var audited: [ModelRole: any Model] = [:]
    var audits: [ModelRole: AnswerAudit] = [:]
    for (role, model) in models {
      let audit = AnswerAudit()
      audits[role] = audit
      audited[role] = AuditedModel(base: model, audit: audit)
    }
    self.models = audited
    self.audits = audits
    self.keep = keep
    self.progress = progress
  }

  /// Creates a context whose candidate is `model`.
  package init(suite: Suite, model: any Model, progress: (@Sendable (Int) -> Void)?) {
    self.init(suite: suite, models: [.candidate: model], progress: progress)
  }

  /// The model playing `role`.
  package func model(_ role: ModelRole) throws(ScoringError) -> any Model {
    if let blocked { throw .skipped(blocked) }
    guard let model = models[role] else {
      throw .suite("the suite has no '\(role.suiteKey)' (the \(role.rawValue) model)")
    }
    return model
  }

  /// What the answers of the model playing `role` showed so far (every batch of the run).
  package nonisolated func audit(_ role: ModelRole) -> AnswerAudit? { audits[role] }

  /// Refuses the models from now on.
  ///
  /// Checks that ask for one are skipped with `reason` (the pipeline that was to build the model
  /// failed). The first reason stays.
  package func blockModels(_ reason: String) {
    blocked = blocked ?? reason
  }

  /// A model of the check's own (a reference served beside the one under test); the check
  /// stops it with `shutdown()` when done.
  package nonisolated func makeModel(_ config: ModelConfig) throws(ScoringError) -> any Model {
    guard let task = suite.task else { throw .suite("the suite has no 'task'") }
    return Runner.model(config, task: task, suite: suite)
  }

  /// The data file playing `role`.
  package func dataFile(_ role: DataRole) throws(ScoringError) -> DataConfig.File {
    guard let file = suite.data.file(role) else {
      throw .suite("the suite names no \(role.rawValue) data (data: { \(role.rawValue): … })")
    }
    return file
  }

  /// The value of `key`, computed by `compute` on the first call only.
  ///
  /// Concurrent callers wait for the same computation. A failure is remembered like a value.
  package func shared<Key: Hashable & Sendable, Value: Sendable>(
    _ key: Key, _ compute: @escaping @Sendable () async throws(ScoringError) -> Value
  ) async throws(ScoringError) -> Value {
    let task: Task<Result<any Sendable, ScoringError>, Never>
    if let running = memo[AnyHashable(key)] {
      task = running
    } else {
      task = Task {
        do throws(ScoringError) { return .success(try await compute()) } catch {
          return .failure(error)
        }
      }
      memo[AnyHashable(key)] = task
    }
    let value = try await task.value.get()
    guard let typed = value as? Value else {
      throw .harness(
        "the shared figure \(key) was asked for as \(Value.self), not \(type(of: value))")
    }
    return typed
  }

  /// `data` scored by the model playing `role`, with the kept columns (scored on the first call).
  package func scored(_ data: DataRole = .test, by role: ModelRole = .candidate)
    async throws(ScoringError) -> ScoredData
  {
    let file = try dataFile(data)
    let model = try model(role)
    let scoring = try fileScoring(for: role)
    let progress = role == .candidate && data == .test ? self.progress : nil
    return try await shared(ScoredKey(data: data, role: role)) { () async throws(ScoringError) in
      try await scoring.score(file, model: model, progress: progress)
    }
  }

  /// The predictions of the model playing `role` for rows a check made, in row order.
  package func predict(
    _ rows: [[DataValue]], featureNames: [String], by role: ModelRole = .candidate, what: String
  ) async throws(ScoringError) -> Predictions {
    let model = try model(role)
    let batch = suite.models[role]?.batch ?? 64
    return try await RowScoring.predict(
      rows, featureNames: featureNames, model: model, batchSize: batch, what: what)
  }

  /// Sends one request exactly as made (no batching): for checks that craft payloads.
  package func send(_ input: ModelInput, to role: ModelRole = .candidate) async throws(ScoringError)
    -> Result<Predictions, ModelError>
  {
    let model = try model(role)
    do throws(ModelError) {
      return .success(try await model.predict(input))
    } catch {
      return .failure(error)
    }
  }

  /// Runs CPU-bound work on Dispatch's threads (all cores), off the cooperative pool whose
  /// threads the models' timers and I/O need.
  package nonisolated func compute<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async
    -> Value
  {
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
  }

  /// The candidate's scoring of the test data, if a check asked for it and it succeeded (for
  /// the report's properties).
  package var scoredTestData: ScoredData? {
    get async {
      guard let task = memo[AnyHashable(ScoredKey(data: .test, role: .candidate))] else {
        return nil
      }
      return try? await task.value.get() as? ScoredData
    }
  }

  private func fileScoring(for role: ModelRole) throws(ScoringError) -> LabelledFileScoring {
    guard let task = suite.task else { throw .suite("the suite has no 'task'") }
    guard let label = suite.label else { throw .suite("the suite names no 'label' column") }
    let config = suite.models[role]
    return LabelledFileScoring(
      task: task, label: label, positive: suite.positive, classes: config?.classes,
      missingValues: suite.data.missingValues, drop: suite.data.drop, keep: keep,
      batchSize: config?.batch ?? 64, maxLineBytes: suite.data.maxLineBytes)
  }
}

/// The memo key of a scored data file.
private struct ScoredKey: Hashable, Sendable {
  var data: DataRole
  var role: ModelRole
}
