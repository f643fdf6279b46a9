import Dispatch

/// What the checks of one run share: the suite, the model, and results computed once.
///
/// The test data is scored once, on first use, and every check reads the same evaluation;
/// a scoring failure is remembered and given to every check that needs it.
public actor RunContext {
  /// The suite being run.
  public let suite: Suite
  /// The model under test.
  public let model: any Model
  private let progress: (@Sendable (Int) -> Void)?
  private var scoring: Task<Result<ScoredData, ScoringError>, Never>?
  private var quality: QualityFigures?

  init(suite: Suite, model: any Model, progress: (@Sendable (Int) -> Void)?) {
    self.suite = suite
    self.model = model
    self.progress = progress
  }

  /// The scored test data (scored on the first call).
  func testData() async throws(ScoringError) -> ScoredData {
    guard let file = suite.data.test else { throw .suite("the suite names no test data") }
    let task: Task<Result<ScoredData, ScoringError>, Never>
    if let scoring {
      task = scoring
    } else {
      let scorer = Scorer(suite: suite, model: model, progress: progress)
      task = Task {
        do throws(ScoringError) { return .success(try await scorer.score(file)) } catch {
          return .failure(error)
        }
      }
      scoring = task
    }
    return try await task.value.get()
  }

  /// The figures of every gated quality metric, with bootstrap intervals (computed once).
  func qualityFigures(_ config: QualityConfig) async throws(ScoringError) -> QualityFigures {
    if let quality { return quality }
    let scored = try await testData()
    let seed = suite.seed
    // CPU-bound: computed on Dispatch's threads (all cores), not on the cooperative pool, whose
    // threads the model's timers and I/O need.
    let figures = await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(returning: QualityFigures(config: config, scored: scored, seed: seed))
      }
    }
    quality = figures
    return figures
  }

  /// Whether the test data has been scored (for the report's properties).
  var scoredData: ScoredData? {
    get async {
      guard let scoring else { return nil }
      return try? await scoring.value.get()
    }
  }
}
