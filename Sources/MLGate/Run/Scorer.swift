import Foundation

/// A scored data file: its evaluation and how scoring went.
struct ScoredData: Sendable {
  var evaluation: Evaluation
  var rows: Int
  var batches: Int
  var duration: Duration
  var file: DataConfig.File
}

/// Why scoring stopped: the data, the suite's settings, or the model.
enum ScoringError: Error, CustomStringConvertible {
  case data(DataError)
  case suite(String)
  case model(ModelError)

  var description: String {
    switch self {
    case .data(let error): return error.description
    case .suite(let message): return message
    case .model(let error): return error.message
    }
  }
}

/// Streams a labelled data file through a model, batch by batch, into an ``Evaluation``.
///
/// Memory holds one batch of rows plus a few numbers per scored row.
struct Scorer {
  let suite: Suite
  let model: any Model
  let progress: (@Sendable (Int) -> Void)?

  func score(_ file: DataConfig.File) async throws(ScoringError) -> ScoredData {
    let clock = ContinuousClock()
    let started = clock.now
    let reader: LabelledBatchReader
    do {
      let table = try TableReader(
        path: file.path, displayName: file.displayName, missingValues: suite.data.missingValues)
      reader = try LabelledBatchReader(table: table, label: suite.label, drop: suite.data.drop)
    } catch {
      throw .data(error)
    }
    // Up to `maxConcurrency` batches in flight: as many workers, each taking the next batch as
    // soon as its answer is in; answers are collected in file order, so memory holds at most
    // one batch per worker.
    let window = max(1, model.maxConcurrency)
    let model = self.model
    let featureNames = reader.featureNames
    let pipeline = ScoringPipeline(
      reader: reader, batchSize: suite.model.batch, task: suite.task, file: file.displayName)
    let progress = self.progress
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<window {
        group.addTask {
          while true {
            switch pipeline.nextJob(limit: 4 * window) {
            case .done: return
            case .wait: try? await Task.sleep(for: .milliseconds(2))
            case .job(let index, let batch):
              let answer = await Scorer.predictOne(batch, featureNames: featureNames, model: model)
              if let rows = pipeline.finish(index, batch, answer) { progress?(rows) }
            }
          }
        }
      }
    }
    let (collector, batches, failure) = pipeline.result
    if let failure { throw failure }
    guard collector.count > 0 else {
      throw .data(DataError(file: file.displayName, message: "the file holds a header but no rows"))
    }
    let evaluation = try collector.finish(suite: suite)
    return ScoredData(
      evaluation: evaluation, rows: collector.count, batches: batches,
      duration: clock.now - started, file: file)
  }
}

extension Scorer {
  static func predictOne(_ batch: LabelledBatch, featureNames: [String], model: any Model) async
    -> Result<
      Predictions, ModelError
    >
  {
    do throws(ModelError) {
      return .success(
        try await model.predict(ModelInput(featureNames: featureNames, rows: batch.features)))
    } catch {
      return .failure(error)
    }
  }

  /// The next batch, or nil at the end, as a value (no typed throw inside the scoring loop).
  static func read(_ reader: LabelledBatchReader, size: Int) -> Result<LabelledBatch?, DataError> {
    do throws(DataError) {
      return .success(try reader.nextBatch(size: size))
    } catch {
      return .failure(error)
    }
  }
}

/// The state the scoring workers share.
///
/// The reader, the answers waiting for their turn, and the collector. Every access is under
/// `lock`, never across an `await`.
private final class ScoringPipeline: @unchecked Sendable {
  private let lock = NSLock()
  private let reader: LabelledBatchReader
  private let batchSize: Int
  private let file: String
  private var collector: Collector
  private var waiting: [Int: (LabelledBatch, Result<Predictions, ModelError>)] = [:]
  private var nextIndex = 0
  private var nextToCollect = 0
  private var batches = 0
  private var failure: ScoringError?
  private var exhausted = false

  init(reader: LabelledBatchReader, batchSize: Int, task: TaskKind, file: String) {
    self.reader = reader
    self.batchSize = batchSize
    self.file = file
    collector = Collector(task: task)
  }

  /// What a worker does next.
  enum Next {
    /// Send this batch.
    case job(Int, LabelledBatch)
    /// Too many answers wait for a slow earlier one: wait a little (memory stays bounded).
    case wait
    /// The data is done, or scoring failed.
    case done
  }

  /// The next batch to send and its position, unless `limit` batches are already outstanding.
  func nextJob(limit: Int) -> Next {
    lock.lock()
    defer { lock.unlock() }
    guard failure == nil, !exhausted else { return .done }
    guard nextIndex - nextToCollect < limit else { return .wait }
    switch Scorer.read(reader, size: batchSize) {
    case .failure(let error):
      failure = .data(error)
      return .done
    case .success(nil):
      exhausted = true
      return .done
    case .success(let batch?):
      defer { nextIndex += 1 }
      return .job(nextIndex, batch)
    }
  }

  /// Records an answer and collects every answer whose turn has come.
  ///
  /// Returns the rows scored so far when that advanced.
  func finish(_ index: Int, _ batch: LabelledBatch, _ answer: Result<Predictions, ModelError>)
    -> Int?
  {
    lock.lock()
    defer { lock.unlock() }
    waiting[index] = (batch, answer)
    var advanced = false
    while failure == nil, let (batch, answer) = waiting.removeValue(forKey: nextToCollect) {
      nextToCollect += 1
      switch answer {
      case .failure(var error):
        error.message +=
          " (rows on lines \(batch.lines.first ?? 0)–\(batch.lines.last ?? 0) of \(file))"
        failure = .model(error)
      case .success(let predictions):
        if let error = collector.adding(batch, predictions, file: file) {
          failure = error
        } else {
          batches += 1
          advanced = true
        }
      }
    }
    if failure != nil { waiting.removeAll() }
    return advanced ? collector.count : nil
  }

  /// The collected answers, the number of batches, and the failure that stopped scoring.
  var result: (Collector, Int, ScoringError?) {
    lock.lock()
    defer { lock.unlock() }
    return (collector, batches, failure)
  }
}

/// Accumulates labels and predictions, then maps class names to indices.
private struct Collector {
  let task: TaskKind
  var truthLabels: [String] = []
  var predictedLabels: [String] = []
  var truthValues: [Double] = []
  var predictedValues: [Double] = []
  var probabilities: [Double] = []
  var probabilityRows = 0
  var modelClasses: [String]?
  var count = 0

  init(task: TaskKind) { self.task = task }

  /// Adds a batch; the error, if the batch cannot be used.
  mutating func adding(_ batch: LabelledBatch, _ predictions: Predictions, file: String)
    -> ScoringError?
  {
    do throws(ScoringError) {
      try add(batch, predictions, file: file)
      return nil
    } catch {
      return error
    }
  }

  mutating func add(_ batch: LabelledBatch, _ predictions: Predictions, file: String)
    throws(ScoringError)
  {
    if task == .regression {
      for (row, label) in batch.labels.enumerated() {
        guard case .number(let value) = label else {
          throw .data(
            DataError(
              file: file, line: batch.lines[row],
              message:
                "the label '\(label.labelText ?? "")' is not a number (the task is regression)"))
        }
        guard case .number(let predicted) = predictions.values[row] else {
          throw .model(
            ModelError(
              .infrastructure,
              "prediction for line \(batch.lines[row]) is '\(predictions.values[row].labelText ?? "")', not a number (the task is regression)"
            ))
        }
        truthValues.append(value)
        predictedValues.append(predicted)
      }
      count += batch.count
      return
    }
    for label in batch.labels { truthLabels.append(label.labelText ?? "") }
    for value in predictions.values { predictedLabels.append(value.labelText ?? "") }
    if let classes = predictions.classes {
      if let known = modelClasses, known != classes {
        throw .model(
          ModelError(
            .infrastructure,
            "the model changed its classes between batches: \(known) then \(classes)"))
      }
      modelClasses = classes
    }
    if let rows = predictions.probabilities {
      guard probabilityRows == count else {
        throw .model(
          ModelError(
            .infrastructure, "the model gave probabilities for some batches but not others"))
      }
      for row in rows { probabilities.append(contentsOf: row) }
      probabilityRows += rows.count
    } else if probabilityRows > 0 {
      throw .model(
        ModelError(.infrastructure, "the model gave probabilities for some batches but not others"))
    }
    count += batch.count
  }

  func finish(suite: Suite) throws(ScoringError) -> Evaluation {
    if task == .regression {
      return .regression(RegressionData(truth: truthValues, predicted: predictedValues))
    }
    let hasProbabilities = probabilityRows == count && count > 0
    var base = modelClasses ?? suite.model.classes
    if hasProbabilities {
      guard let known = base else {
        throw .model(
          ModelError(
            .infrastructure,
            "the model gives probabilities but not the class names they belong to: add 'classes' to its answer or to the suite's model"
          ))
      }
      let width = probabilities.count / count
      guard width == known.count else {
        throw .model(
          ModelError(
            .infrastructure,
            "the model gives \(width) probabilities per row for \(known.count) classes"))
      }
    }
    var classes = base ?? []
    let extra = Set(truthLabels).union(predictedLabels).subtracting(classes).sorted()
    classes += extra
    base = base ?? []
    if task == .binaryClassification, classes.count > 2 {
      throw .suite(
        "the task is binary-classification but labels and predictions hold \(classes.count) classes (\(classes.prefix(8).joined(separator: ", "))): use task multiclass, or fix the label column"
      )
    }
    var index: [String: Int] = [:]
    for (position, name) in classes.enumerated() { index[name] = position }
    var positive: Int?
    if task == .binaryClassification {
      let name: String
      if let chosen = suite.positive {
        name = chosen
      } else if Set(classes).isSubset(of: ["0", "1"]) {
        name = "1"
      } else if Set(classes).isSubset(of: ["false", "true"]) {
        name = "true"
      } else {
        throw .suite(
          "set 'positive:' in the suite to the positive class, one of: \(classes.joined(separator: ", "))"
        )
      }
      guard let position = index[name] else {
        var message =
          "the positive class '\(name)' is not among the classes (\(classes.joined(separator: ", ")))"
        if let close = TextFormat.suggestion(for: name, in: classes) {
          message += " — did you mean '\(close)'?"
        }
        throw .suite(message)
      }
      positive = position
    }
    var matrix: [Double]?
    if hasProbabilities {
      let width = probabilities.count / count
      if width == classes.count {
        matrix = probabilities
      } else {
        var padded = [Double](repeating: 0, count: count * classes.count)
        for row in 0..<count {
          for column in 0..<width {
            padded[row * classes.count + column] = probabilities[row * width + column]
          }
        }
        matrix = padded
      }
    }
    return .classification(
      ClassificationData(
        classes: classes, truth: truthLabels.map { index[$0] ?? 0 },
        predicted: predictedLabels.map { index[$0] ?? 0 },
        probabilities: matrix, positive: positive))
  }
}
