/// KServe v1 / TensorFlow Serving: `{"instances": [{…}, …]}` → `{"predictions": […]}`.
struct KServeV1Codec: EndpointCodec {
  func body(for batch: ModelInput) -> [UInt8] {
    var writer = JSONWriter(
      capacity: 64 + batch.rows.count * batch.featureNames.count * 16, for: batch)
    writer.raw("{\"instances\":")
    writeRecords(batch, into: &writer)
    writer.raw("}")
    return writer.bytes
  }

  func decode(_ answer: JSONValue, rows: Int, classes: [String]?) throws(ModelError) -> Predictions
  {
    try FlexiblePredictions.decode(answer["predictions"], rows: rows, classes: classes)
  }
}

/// MLflow's scoring server (also in SageMaker and Azure MLflow images):
/// `{"dataframe_split": {"columns": […], "data": [[…]]}}` → `{"predictions": […]}` or a bare list.
struct MLflowCodec: EndpointCodec {
  func body(for batch: ModelInput) -> [UInt8] {
    var writer = JSONWriter(
      capacity: 64 + batch.rows.count * batch.featureNames.count * 10, for: batch)
    writer.raw("{\"dataframe_split\":{\"columns\":")
    writeColumns(batch, into: &writer)
    writer.raw(",\"data\":")
    writeValues(batch, into: &writer)
    writer.raw("}}")
    return writer.bytes
  }

  func decode(_ answer: JSONValue, rows: Int, classes: [String]?) throws(ModelError) -> Predictions
  {
    if case .array = answer {
      return try FlexiblePredictions.decode(answer, rows: rows, classes: classes)
    }
    return try FlexiblePredictions.decode(answer["predictions"], rows: rows, classes: classes)
  }
}

/// Any JSON API: rows go under a configured key, answers are found at configured paths.
struct JSONMappingCodec: EndpointCodec {
  let mapping: EndpointConfig.JSONMapping

  func body(for batch: ModelInput) -> [UInt8] {
    var writer = JSONWriter(
      capacity: 64 + batch.rows.count * batch.featureNames.count * 16, for: batch)
    writer.raw("{")
    writer.string(mapping.requestKey)
    writer.raw(":")
    switch mapping.layout {
    case .records: writeRecords(batch, into: &writer)
    case .values: writeValues(batch, into: &writer)
    case .split:
      writer.raw("{\"columns\":")
      writeColumns(batch, into: &writer)
      writer.raw(",\"data\":")
      writeValues(batch, into: &writer)
      writer.raw("}")
    }
    writer.raw("}")
    return writer.bytes
  }

  func decode(_ answer: JSONValue, rows: Int, classes: [String]?) throws(ModelError) -> Predictions
  {
    let probabilities = try mapping.probabilities.map { (path) throws(ModelError) -> JSONValue in
      try JSONMappingCodec.lookup(path, in: answer)
    }
    guard let predictionsPath = mapping.predictions else {
      return try FlexiblePredictions.decode(probabilities, rows: rows, classes: classes)
    }
    let predictions = try JSONMappingCodec.lookup(predictionsPath, in: answer)
    if probabilities != nil, classes == nil {
      throw ModelError(
        .infrastructure,
        "the answer has probabilities but the suite does not name the classes: add 'classes:' to the model"
      )
    }
    return try FlexiblePredictions.decode(
      predictions, probabilities: probabilities, rows: rows, classes: classes)
  }

  /// Follows a path like `result.labels` or `outputs/0/data` through objects and arrays.
  static func lookup(_ path: String, in value: JSONValue) throws(ModelError) -> JSONValue {
    var current = value
    for part in path.split(whereSeparator: { $0 == "." || $0 == "/" }) {
      if let index = Int(part), let items = current.arrayValue, items.indices.contains(index) {
        current = items[index]
      } else if let next = current[String(part)] {
        current = next
      } else {
        throw ModelError(
          .infrastructure, "the answer has nothing at '\(path)' (stopped at '\(part)')")
      }
    }
    return current
  }
}
