import Synchronization

/// A batch of rows on its way to a model.
package protocol ScorableBatch: Sendable {
  /// One array of feature values per row, aligned with the feature names.
  var features: [[DataValue]] { get }
  /// Where the rows come from, for messages: "lines 2–257 of test.csv".
  var origin: String { get }
}

/// Hands out the batches to score, in order.
///
/// Called under the pipeline's lock only.
package protocol BatchSource: SendableMetatype {
  /// The batches it makes.
  associatedtype Batch: ScorableBatch
  /// The next batch of at most `size` rows, or nil at the end.
  mutating func next(size: Int) throws(DataError) -> Batch?
}

/// Receives every batch with its predictions, in source order.
///
/// Called under the pipeline's lock only.
package protocol ScoreSink: SendableMetatype {
  /// The batches it takes.
  associatedtype Batch: ScorableBatch
  /// Takes one answered batch; an error stops scoring.
  mutating func add(_ batch: Batch, _ predictions: Predictions) throws(ScoringError)
}

/// Why scoring stopped: the data, the suite's settings, the model, or mlgate itself.
package enum ScoringError: Error, CustomStringConvertible {
  /// A data file is unreadable or inconsistent.
  case data(DataError)
  /// The suite asks for something the data or model cannot give.
  case suite(String)
  /// The model failed.
  case model(ModelError)
  /// mlgate itself failed.
  case harness(String)
  /// Nothing to do: an earlier stage (the pipeline that builds the model) failed.
  case skipped(String)

  package var description: String {
    switch self {
    case .data(let error): return error.description
    case .suite(let message), .harness(let message), .skipped(let message): return message
    case .model(let error): return error.message
    }
  }
}

/// Scores every batch of a source through a model with up to `model.maxConcurrency` batches in
/// flight, and hands the answers to a sink in source order.
///
/// Workers take the next batch as soon as their answer is in; answers that come early wait for
/// their turn, at most `4 × concurrency` batches at a time, so memory holds a bounded number of
/// batches whatever the size of the source. A worker with nothing to do waits on a
/// continuation that the next collected answer resumes: no polling.
package enum OrderedScoring {
  /// Scores `source` into `sink` and returns the sink, with the number of batches.
  package static func run<Source: BatchSource, Sink: ScoreSink>(
    _ source: sending Source, into sink: sending Sink, featureNames: [String], model: any Model,
    batchSize: Int, progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(ScoringError) -> (sink: Sink, batches: Int, rows: Int)
  where Source.Batch == Sink.Batch {
    let window = max(1, model.maxConcurrency)
    let pipeline = Pipeline(
      source: source, sink: sink, featureNames: featureNames, batchSize: max(1, batchSize),
      limit: 4 * window)
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<window {
        group.addTask {
          while let (index, batch) = await pipeline.nextJob() {
            let answer: Result<Predictions, ModelError>
            do throws(ModelError) {
              answer = .success(
                try await model.predict(
                  ModelInput(featureNames: pipeline.featureNames, rows: batch.features)))
            } catch {
              answer = .failure(error)
            }
            if let rows = pipeline.finish(index, batch, answer) { progress?(rows) }
          }
        }
      }
    }
    return try pipeline.take()
  }
}

/// The state the scoring workers share, under one lock, never held across an `await`.
private final class Pipeline<Source: BatchSource, Sink: ScoreSink>: Sendable
where Source.Batch == Sink.Batch {
  typealias Batch = Source.Batch

  struct State {
    var source: Source
    var sink: Sink?
    var waiting: [Int: (Batch, Result<Predictions, ModelError>)] = [:]
    var idle: [CheckedContinuation<Void, Never>] = []
    var nextIndex = 0
    var nextToCollect = 0
    var batches = 0
    var rows = 0
    var failure: ScoringError?
    var exhausted = false

    /// Whether a worker may take the next batch (or learn that there is none).
    func mayProceed(limit: Int) -> Bool {
      failure != nil || exhausted || nextIndex - nextToCollect < limit
    }
  }

  let featureNames: [String]
  private let batchSize: Int
  private let limit: Int
  private let state: Mutex<State>

  init(
    source: sending Source, sink: sending Sink, featureNames: [String], batchSize: Int, limit: Int
  ) {
    self.featureNames = featureNames
    self.batchSize = batchSize
    self.limit = limit
    state = Mutex(State(source: source, sink: sink))
  }

  private enum Step {
    case job(Int, Batch)
    case wait
    case done
  }

  /// The next batch to send and its position; nil when the source is done or scoring failed.
  func nextJob() async -> (Int, Batch)? {
    while true {
      let step = state.withLock { state -> Step in
        guard state.failure == nil, !state.exhausted else { return .done }
        guard state.nextIndex - state.nextToCollect < limit else { return .wait }
        do throws(DataError) {
          guard let batch = try state.source.next(size: batchSize) else {
            state.exhausted = true
            return .done
          }
          defer { state.nextIndex += 1 }
          return .job(state.nextIndex, batch)
        } catch {
          state.failure = .data(error)
          return .done
        }
      }
      switch step {
      case .done:
        resumeIdle()
        return nil
      case .job(let index, let batch): return (index, batch)
      case .wait:
        await withCheckedContinuation { continuation in
          let now = state.withLock { state -> Bool in
            if state.mayProceed(limit: limit) { return true }
            state.idle.append(continuation)
            return false
          }
          if now { continuation.resume() }
        }
      }
    }
  }

  /// Records an answer and collects every answer whose turn has come; returns the rows scored
  /// so far when that advanced.
  func finish(_ index: Int, _ batch: Batch, _ answer: Result<Predictions, ModelError>) -> Int? {
    let advanced = state.withLock { state -> Int? in
      state.waiting[index] = (batch, answer)
      var advanced = false
      while state.failure == nil,
        let (batch, answer) = state.waiting.removeValue(forKey: state.nextToCollect)
      {
        state.nextToCollect += 1
        switch answer {
        case .failure(var error):
          error.message += " (rows \(batch.origin))"
          state.failure = .model(error)
        case .success(let predictions):
          do throws(ScoringError) {
            try state.sink?.add(batch, predictions)
            state.batches += 1
            state.rows += batch.features.count
            advanced = true
          } catch {
            state.failure = error
          }
        }
      }
      if state.failure != nil { state.waiting.removeAll() }
      return advanced ? state.rows : nil
    }
    resumeIdle()
    return advanced
  }

  private func resumeIdle() {
    let idle = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      defer { state.idle.removeAll() }
      return state.idle
    }
    for continuation in idle { continuation.resume() }
  }

  /// The sink, the batches and rows collected, or the failure that stopped scoring.
  func take() throws(ScoringError) -> (sink: Sink, batches: Int, rows: Int) {
    let taken = state.withLock { state -> Result<(Sink, Int, Int), ScoringError> in
      if let failure = state.failure { return .failure(failure) }
      guard let sink = state.sink.take() else { return .failure(.harness("scoring ended twice")) }
      return .success((sink, state.batches, state.rows))
    }
    let (sink, batches, rows) = try taken.get()
    return (sink, batches, rows)
  }
}
