/// IBM Watson Machine Learning / watsonx.ai online scoring.
///
/// `{"input_data": [{"fields": […], "values": [[…], …]}]}` →
/// `{"predictions": [{"fields": ["prediction", "probability"], "values": [[label, [p0, p1]], …]}]}`.
/// Fields are found by name (AutoAI and SPSS add others); probabilities are in class order, so
/// the suite names the classes.
struct WMLCodec: EndpointCodec {
  func body(for batch: ModelInput) -> [UInt8] {
    var writer = JSONWriter(
      capacity: 64 + batch.rows.count * batch.featureNames.count * 10, for: batch)
    writer.raw("{\"input_data\":[{\"fields\":")
    writeColumns(batch, into: &writer)
    writer.raw(",\"values\":")
    writeValues(batch, into: &writer)
    writer.raw("}]}")
    return writer.bytes
  }

  func decode(_ answer: JSONValue, rows: Int, classes: [String]?) throws(ModelError) -> Predictions
  {
    guard let first = answer["predictions"]?.arrayValue?.first else {
      throw ModelError(.infrastructure, "the WML answer has no 'predictions' list")
    }
    guard let fields = first["fields"]?.arrayValue?.compactMap(\.stringValue),
      let values = first["values"]?.arrayValue
    else {
      throw ModelError(
        .infrastructure, "the WML answer's predictions have no 'fields' and 'values'")
    }
    let lowered = fields.map { $0.lowercased() }
    guard
      let labelIndex = lowered.firstIndex(of: "prediction")
        ?? lowered.firstIndex(of: "predictedlabel")
    else {
      throw ModelError(
        .infrastructure,
        "the WML answer has no 'prediction' field (fields: \(fields.joined(separator: ", ")))")
    }
    let probabilityIndex = lowered.firstIndex(of: "probability")
    var labels: [JSONValue] = []
    var probabilities: [JSONValue] = []
    for (row, item) in values.enumerated() {
      guard let cells = item.arrayValue, cells.count == fields.count else {
        throw ModelError(
          .infrastructure, "WML prediction \(row + 1) does not have one value per field")
      }
      labels.append(cells[labelIndex])
      if let probabilityIndex { probabilities.append(cells[probabilityIndex]) }
    }
    if probabilityIndex != nil, classes == nil {
      throw ModelError(
        .infrastructure,
        "the WML answer has probabilities in class order but the suite does not name the classes: add 'classes:' to the model"
      )
    }
    return try PredictionDecoder.decode(
      predictions: .array(labels),
      probabilities: probabilityIndex == nil ? nil : .array(probabilities),
      classes: classes.map { .array($0.map(JSONValue.string)) }, rows: rows)
  }
}
