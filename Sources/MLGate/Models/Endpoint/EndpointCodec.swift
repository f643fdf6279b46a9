/// One wire format: how a batch becomes a request body and an answer becomes predictions.
protocol EndpointCodec: Sendable {
  /// The request body for a batch.
  func body(for batch: ModelInput) -> [UInt8]
  /// The predictions in a 2xx answer.
  func decode(_ answer: JSONValue, rows: Int, classes: [String]?) throws(ModelError) -> Predictions
}

extension EndpointCodec {
  /// Writes a batch as an array of row objects: `[{"col": value, …}, …]`.
  func writeRecords(_ batch: ModelInput, into writer: inout JSONWriter) {
    writer.records(batch)
  }

  /// Writes the rows as arrays of values in feature order: `[[v, …], …]`.
  func writeValues(_ batch: ModelInput, into writer: inout JSONWriter) {
    writer.raw("[")
    for (position, row) in batch.rows.enumerated() {
      if position > 0 { writer.raw(",") }
      writer.raw("[")
      for (column, value) in row.enumerated() {
        if column > 0 { writer.raw(",") }
        writer.value(value.json)
      }
      writer.raw("]")
    }
    writer.raw("]")
  }

  /// Writes the feature names: `["a", "b"]`.
  func writeColumns(_ batch: ModelInput, into writer: inout JSONWriter) {
    writer.raw("[")
    for (position, name) in batch.featureNames.enumerated() {
      if position > 0 { writer.raw(",") }
      writer.string(name)
    }
    writer.raw("]")
  }
}

/// Reads prediction lists in the forms servers use: labels, numbers, `[x]`, or one list of
/// class probabilities per row (labels are then the most probable class).
enum FlexiblePredictions {
  static func decode(
    _ items: JSONValue?, probabilities: JSONValue? = nil, rows: Int, classes: [String]?
  ) throws(ModelError)
    -> Predictions
  {
    guard let list = items?.arrayValue else {
      throw ModelError(
        .infrastructure,
        "the answer has no list of predictions where one was expected (found \(items?.kindName ?? "nothing"))"
      )
    }
    let probabilityRows = list.first?.arrayValue.map { $0.count >= 2 } ?? false
    if probabilityRows {
      guard let classes else {
        throw ModelError(
          .infrastructure,
          "the endpoint returns class probabilities without class names: add 'classes:' (in probability order) to the suite's model"
        )
      }
      let decoded = try PredictionDecoder.decode(
        predictions: .array(Array(repeating: .string(""), count: list.count)),
        probabilities: .array(list),
        classes: .array(classes.map(JSONValue.string)), rows: rows)
      return withArgmaxLabels(decoded, classes: classes)
    }
    return try PredictionDecoder.decode(
      predictions: .array(list), probabilities: probabilities,
      classes: probabilities == nil ? nil : classes.map { .array($0.map(JSONValue.string)) },
      rows: rows)
  }

  /// Labels from probabilities: the first most probable class, as scikit-learn's `predict` does.
  static func withArgmaxLabels(_ predictions: Predictions, classes: [String]) -> Predictions {
    var result = predictions
    if let matrix = predictions.probabilities {
      result.values = matrix.map { row in
        var best = 0
        for index in row.indices where row[index] > row[best] { best = index }
        return .string(classes[best])
      }
    }
    result.classes = classes
    return result
  }
}
