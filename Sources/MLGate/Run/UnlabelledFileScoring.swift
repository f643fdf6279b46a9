/// How a file without labels (a payload log) is scored: the same streaming pipeline as a
/// labelled file, keeping one figure per row (see ``PredictedColumn``).
package struct UnlabelledFileScoring: Sendable {
  /// What the model predicts.
  package var task: TaskKind
  /// The label column: not sent to the model when the file has it.
  package var label: String?
  /// The positive class of a binary task, if the suite names it.
  package var positive: String?
  /// Class names in probability order, when the model does not give them.
  package var classes: [String]?
  /// Cell texts read as missing.
  package var missingValues: Set<String>
  /// Columns never sent to the model (those the file has).
  package var drop: [String]
  /// Rows per request.
  package var batchSize: Int
  /// The longest line the file may have.
  package var maxLineBytes: Int = DataConfig.defaultMaxLineBytes

  /// Streams `file` through `model`: memory holds the batches in flight and one figure per row.
  package func score(_ file: DataConfig.File, model: any Model) async throws(ScoringError)
    -> PredictedColumn
  {
    let reader: LabelledBatchReader
    do {
      let table = try TableReader(
        path: file.path, displayName: file.displayName, missingValues: missingValues,
        maxLineBytes: maxLineBytes)
      let unsent = (drop + [label].compactMap { $0 }).filter { table.columns.contains($0) }
      reader = try LabelledBatchReader(table: table, label: nil, drop: unsent)
    } catch {
      throw .data(error)
    }
    let (collector, _, rows) = try await OrderedScoring.run(
      reader, into: PredictionCollector(task: task, positive: positive, declared: classes),
      featureNames: reader.featureNames, model: model, batchSize: batchSize)
    guard rows > 0 else {
      throw .data(DataError(file: file.displayName, message: "the file holds a header but no rows"))
    }
    return PredictedColumn(values: collector.values(), file: file)
  }
}

/// Keeps each row's figure as the answers come, in row order.
private struct PredictionCollector: ScoreSink {
  let task: TaskKind
  let positive: String?
  let declared: [String]?
  /// Positive-class scores, or regression values.
  let numbers = PagedColumn<Double>()
  /// Predicted classes, as indices into `names`.
  var codes = ClassColumn()
  var names: [String] = []
  var index: [String: Int] = [:]
  /// The model's classes, once it gave them.
  var modelClasses: [String]?
  /// The positive class and its probability column, when a binary model gives probabilities.
  var scored: (name: String, column: Int, width: Int)?
  var count = 0

  init(task: TaskKind, positive: String?, declared: [String]?) {
    self.task = task
    self.positive = positive
    self.declared = declared
  }

  /// What was collected (once: it moves the numbers out).
  func values() -> PredictedColumn.Values {
    if task == .regression { return .values(numbers.drain()) }
    if let scored { return .scores(numbers.drain(), positive: scored.name) }
    return .classes(codes, names: names)
  }

  mutating func add(_ batch: LabelledBatch, _ predictions: Predictions) throws(ScoringError) {
    defer { count += batch.count }
    if task == .regression {
      for (row, value) in predictions.values.enumerated() {
        guard case .number(let predicted) = value else {
          throw .model(
            ModelError(
              .infrastructure,
              "prediction for line \(batch.lines[row]) is '\(value.labelText ?? "")', not a number (the task is regression)"
            ))
        }
        numbers.append(predicted)
      }
      return
    }
    modelClasses = try predictions.classes(after: modelClasses)
    let probabilities = task == .binaryClassification ? predictions.probabilities : nil
    if count == 0, probabilities != nil { scored = try positiveClass() }
    guard (probabilities != nil) == (scored != nil) else {
      throw .model(
        ModelError(.infrastructure, "the model gave probabilities for some batches but not others"))
    }
    if let scored, let probabilities {
      for (row, shares) in probabilities.enumerated() {
        guard shares.count == scored.width else {
          throw .model(
            ModelError(
              .infrastructure,
              "the model gives \(shares.count) probabilities for line \(batch.lines[row]) for \(scored.width) classes"
            ))
        }
        numbers.append(shares[scored.column])
      }
      return
    }
    for value in predictions.values {
      let name = value.labelText ?? ""
      if let code = index[name] {
        codes.append(code)
      } else {
        guard names.count <= Int(UInt16.max) else {
          throw .model(
            ModelError(
              .infrastructure,
              "the model predicts more than \(UInt16.max) distinct classes: are its answers identifiers?"
            ))
        }
        index[name] = names.count
        codes.append(names.count)
        names.append(name)
      }
    }
  }

  /// The positive class and its probability column: the suite's class, else `1` or `true`, as
  /// a labelled scoring finds it.
  private func positiveClass() throws(ScoringError) -> (name: String, column: Int, width: Int) {
    guard let classes = modelClasses ?? declared else {
      throw .model(
        ModelError(
          .infrastructure,
          "the model gives probabilities but not the class names they belong to: add 'classes' to its answer or to the suite's model"
        ))
    }
    guard let name = BinaryPositive.name(chosen: positive, classes: classes) else {
      throw .suite(
        "set 'positive:' in the suite to the positive class, one of: \(classes.joined(separator: ", "))"
      )
    }
    guard let column = classes.firstIndex(of: name) else {
      throw .suite(
        "the positive class '\(name)' is not among the model's classes (\(classes.joined(separator: ", ")))"
      )
    }
    return (name, column, classes.count)
  }
}

extension RunContext {
  /// The predictions of the model playing `role` on `file`, which need not have labels
  /// (scored on the first call; a role's labelled file is better asked of ``scored(_:by:)``).
  package func predicted(_ file: DataConfig.File, by role: ModelRole = .candidate)
    async throws(ScoringError) -> PredictedColumn
  {
    let model = try model(role)
    guard let task = suite.task else { throw .suite("the suite has no 'task'") }
    let config = suite.models[role]
    let scoring = UnlabelledFileScoring(
      task: task, label: suite.label, positive: suite.positive, classes: config?.classes,
      missingValues: suite.data.missingValues, drop: suite.data.drop,
      batchSize: config?.batch ?? 64, maxLineBytes: suite.data.maxLineBytes)
    return try await shared(UnlabelledKey(path: file.path, role: role)) {
      () async throws(ScoringError) in
      try await scoring.score(file, model: model)
    }
  }
}

/// The memo key of an unlabelled scoring.
private struct UnlabelledKey: Hashable, Sendable {
  var path: String
  var role: ModelRole
}
