import Foundation

/// A scored data file: its evaluation, the kept columns, and how scoring went.
package struct ScoredData: Sendable {
  /// Labels and predictions, ready for the metrics.
  package var evaluation: Evaluation
  /// The values of each kept column, in row order, by column name.
  package var kept: [String: [DataValue]]
  /// Rows scored.
  package var rows: Int
  /// Requests sent.
  package var batches: Int
  /// Wall time of the scoring.
  package var duration: Duration
  /// The file scored.
  package var file: DataConfig.File
}

/// How a labelled file is read and what its predictions mean: everything scoring a file needs
/// of a suite, and nothing more.
package struct LabelledFileScoring: Sendable {
  /// What the model predicts.
  package var task: TaskKind
  /// The label column.
  package var label: String
  /// The positive class of a binary task, if the suite names it.
  package var positive: String?
  /// Class names in probability order, when the model does not give them.
  package var classes: [String]?
  /// Cell texts read as missing.
  package var missingValues: Set<String>
  /// Columns never sent to the model.
  package var drop: [String]
  /// Columns kept beside the predictions.
  package var keep: [String]
  /// Rows per request.
  package var batchSize: Int
  /// The longest line the file may have.
  package var maxLineBytes: Int = DataConfig.defaultMaxLineBytes

  /// Streams `file` through `model` into an ``Evaluation``: memory holds the batches in flight
  /// plus a few numbers (and the kept values) per scored row.
  package func score(
    _ file: DataConfig.File, model: any Model, progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(ScoringError) -> ScoredData {
    let clock = ContinuousClock()
    let started = clock.now
    let reader: LabelledBatchReader
    do {
      let table = try TableReader(
        path: file.path, displayName: file.displayName, missingValues: missingValues,
        maxLineBytes: maxLineBytes)
      reader = try LabelledBatchReader(table: table, label: label, drop: drop, keep: keep)
    } catch {
      throw .data(error)
    }
    let featureNames = reader.featureNames
    let (collector, batches, rows) = try await OrderedScoring.run(
      reader, into: Collector(task: task, keptColumns: keep.count), featureNames: featureNames,
      model: model, batchSize: batchSize, progress: progress)
    guard rows > 0 else {
      throw .data(DataError(file: file.displayName, message: "the file holds a header but no rows"))
    }
    let evaluation = try collector.finish(positive: positive, classes: classes)
    var kept: [String: [DataValue]] = [:]
    for (position, name) in keep.enumerated() { kept[name] = collector.kept[position] }
    return ScoredData(
      evaluation: evaluation, kept: kept, rows: rows, batches: batches,
      duration: clock.now - started, file: file)
  }
}

/// Accumulates labels, predictions and kept columns in row order, then maps class names to
/// indices.
private struct Collector: ScoreSink {
  let task: TaskKind
  var kept: [[DataValue]]
  var truthLabels: [String] = []
  var predictedLabels: [String] = []
  var truthValues: [Double] = []
  var predictedValues: [Double] = []
  var probabilities: [Double] = []
  var probabilityRows = 0
  var modelClasses: [String]?
  var count = 0

  init(task: TaskKind, keptColumns: Int) {
    self.task = task
    kept = Array(repeating: [], count: keptColumns)
  }

  mutating func add(_ batch: LabelledBatch, _ predictions: Predictions) throws(ScoringError) {
    let file = batch.file
    for row in batch.kept {
      for (column, value) in row.enumerated() { kept[column].append(value) }
    }
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

  func finish(positive chosen: String?, classes declared: [String]?) throws(ScoringError)
    -> Evaluation
  {
    if task == .regression {
      return .regression(RegressionData(truth: truthValues, predicted: predictedValues))
    }
    let hasProbabilities = probabilityRows == count && count > 0
    var base = modelClasses ?? declared
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
      if let chosen {
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
