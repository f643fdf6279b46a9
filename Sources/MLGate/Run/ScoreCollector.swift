/// Accumulates labels, predictions and kept columns in row order, a few bytes per row: class
/// names become one-byte codes as they arrive, and of the model's probabilities only the one
/// the metrics read is kept (the positive class's in a binary task, the true class's otherwise).
struct ScoreCollector: ScoreSink {
  let task: TaskKind
  /// The positive class the suite names, if any.
  let chosenPositive: String?
  /// Class names in probability order, from the suite's model, if it names them.
  let declaredClasses: [String]?
  var kept: [[DataValue]]
  /// Class names in the order first seen (labels and predictions); codes index it.
  private var names: [String] = []
  private var codes: [String: Int] = [:]
  /// Class codes per row (indices into ``names``).
  private let truth = PagedColumn<UInt16>()
  private let predicted = PagedColumn<UInt16>()
  private let truthValues = PagedColumn<Double>()
  private let predictedValues = PagedColumn<Double>()
  /// The kept probability per row (see the type's summary).
  private let probabilities = PagedColumn<Double>()
  private var probabilityRows = 0
  private var modelClasses: [String]?
  /// The probability column of each code (nil: a class the model gives no probability).
  private var columnOfCode: [Int?] = []
  /// The probability column of the positive class (binary tasks), once the classes are known.
  private var positiveColumn: Int?
  private var count = 0

  init(task: TaskKind, keptColumns: Int, positive: String?, declaredClasses: [String]?) {
    self.task = task
    chosenPositive = positive
    self.declaredClasses = declaredClasses
    kept = Array(repeating: [], count: keptColumns)
  }

  mutating func add(_ batch: LabelledBatch, _ predictions: Predictions) throws(ScoringError) {
    for row in batch.kept {
      for (column, value) in row.enumerated() { kept[column].append(value) }
    }
    if task == .regression {
      try addNumbers(batch, predictions)
    } else {
      try addClasses(batch, predictions)
    }
    count += batch.count
  }

  private mutating func addNumbers(_ batch: LabelledBatch, _ predictions: Predictions)
    throws(ScoringError)
  {
    for (row, label) in batch.labels.enumerated() {
      guard case .number(let value) = label else {
        throw .data(
          DataError(
            file: batch.file, line: batch.lines[row],
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
  }

  private mutating func addClasses(_ batch: LabelledBatch, _ predictions: Predictions)
    throws(ScoringError)
  {
    modelClasses = try predictions.classes(after: modelClasses)
    var batchTruth: [Int] = []
    batchTruth.reserveCapacity(batch.count)
    for label in batch.labels {
      let code = try code(of: label.labelText ?? "")
      batchTruth.append(code)
      truth.append(UInt16(code))
    }
    for value in predictions.values {
      predicted.append(UInt16(try code(of: value.labelText ?? "")))
    }
    guard let rows = predictions.probabilities else {
      if probabilityRows > 0 {
        throw .model(
          ModelError(
            .infrastructure, "the model gave probabilities for some batches but not others"))
      }
      return
    }
    guard probabilityRows == count else {
      throw .model(
        ModelError(
          .infrastructure, "the model gave probabilities for some batches but not others"))
    }
    guard let classes = modelClasses ?? declaredClasses else {
      throw .model(
        ModelError(
          .infrastructure,
          "the model gives probabilities but not the class names they belong to: add 'classes' to its answer or to the suite's model"
        ))
    }
    if probabilityRows == 0, task == .binaryClassification {
      positiveColumn = BinaryPositive.name(chosen: chosenPositive, classes: classes).flatMap {
        classes.firstIndex(of: $0)
      }
    }
    while columnOfCode.count < names.count {
      columnOfCode.append(classes.firstIndex(of: names[columnOfCode.count]))
    }
    for (offset, row) in rows.enumerated() {
      guard row.count == classes.count else {
        throw .model(
          ModelError(
            .infrastructure,
            "the model gives \(row.count) probabilities per row for \(classes.count) classes"))
      }
      let column =
        task == .binaryClassification ? positiveColumn : columnOfCode[batchTruth[offset]]
      probabilities.append(column.map { row[$0] } ?? 0)
    }
    probabilityRows += rows.count
  }

  /// The code of a class name, given on first sight.
  private mutating func code(of name: String) throws(ScoringError) -> Int {
    if let code = codes[name] { return code }
    guard names.count <= Int(UInt16.max) else {
      throw .suite(
        "the labels and predictions hold more than \(UInt16.max) distinct classes: is the label column an identifier?"
      )
    }
    codes[name] = names.count
    names.append(name)
    return names.count - 1
  }

  /// The evaluation (once: it moves the columns out): class codes mapped to the final class order (the model's or the declared
  /// classes, then any other label in name order), and the positive class resolved.
  func finish() throws(ScoringError) -> Evaluation {
    if task == .regression {
      return .regression(
        RegressionData(truth: truthValues.drain(), predicted: predictedValues.drain()))
    }
    let hasProbabilities = probabilityRows == count && count > 0
    var classes = modelClasses ?? declaredClasses ?? []
    classes += Set(names).subtracting(classes).sorted()
    if task == .binaryClassification, classes.count > 2 {
      throw .suite(
        "the task is binary-classification but labels and predictions hold \(classes.count) classes (\(classes.prefix(8).joined(separator: ", "))): use task multiclass, or fix the label column"
      )
    }
    var positive: Int?
    if task == .binaryClassification {
      guard let name = BinaryPositive.name(chosen: chosenPositive, classes: classes) else {
        throw .suite(
          "set 'positive:' in the suite to the positive class, one of: \(classes.joined(separator: ", "))"
        )
      }
      guard let position = classes.firstIndex(of: name) else {
        var message =
          "the positive class '\(name)' is not among the classes (\(classes.joined(separator: ", ")))"
        if let close = TextFormat.suggestion(for: name, in: classes) {
          message += " — did you mean '\(close)'?"
        }
        throw .suite(message)
      }
      positive = position
    }
    var index: [String: Int] = [:]
    for (position, name) in classes.enumerated() { index[name] = position }
    let table = names.map { index[$0] ?? 0 }
    func column(_ codes: PagedColumn<UInt16>) -> ClassColumn {
      var column = ClassColumn()
      column.reserveCapacity(codes.count)
      codes.drain { page in for code in page { column.append(table[Int(code)]) } }
      return column
    }
    let truth = column(self.truth)
    let predicted = column(self.predicted)
    let kept: ClassProbabilities? =
      hasProbabilities
      ? (task == .binaryClassification
        ? .positive(probabilities.drain()) : .trueClass(probabilities.drain()))
      : nil
    return .classification(
      ClassificationData(
        classes: classes, truth: truth, predicted: predicted, probabilities: kept,
        positive: positive))
  }
}

/// How a binary task's positive class is found when the suite does not name it.
enum BinaryPositive {
  /// The suite's choice, else "1" for 0/1 labels and "true" for false/true; nil otherwise.
  static func name(chosen: String?, classes: [String]) -> String? {
    if let chosen { return chosen }
    if Set(classes).isSubset(of: ["0", "1"]) { return "1" }
    if Set(classes).isSubset(of: ["false", "true"]) { return "true" }
    return nil
  }
}

extension Predictions {
  /// The classes this answer names, else `known`: the model must not change them between
  /// batches.
  func classes(after known: [String]?) throws(ScoringError) -> [String]? {
    guard let classes else { return known }
    if let known, known != classes {
      throw .model(
        ModelError(
          .infrastructure,
          "the model changed its classes between batches: \(known) then \(classes)"))
    }
    return classes
  }
}
