/// Open Inference Protocol v2 (KServe, Seldon MLServer, Triton).
///
/// One tensor per column with MLServer's `content_type: pd` (strings as BYTES, whole numbers as
/// INT64, other numbers as FP64), outputs requested and read by name, reshaped by `shape`.
struct OpenInferenceCodec: EndpointCodec {
  let outputs: [String]

  func body(for batch: ModelInput) -> [UInt8] {
    var writer = JSONWriter(
      capacity: 128 + batch.rows.count * batch.featureNames.count * 10, for: batch)
    writer.raw("{\"parameters\":{\"content_type\":\"pd\"},\"inputs\":[")
    for (column, name) in batch.featureNames.enumerated() {
      if column > 0 { writer.raw(",") }
      var strings = false
      var fractional = false
      for row in batch.rows {
        switch row[column] {
        case .string: strings = true
        case .number(let value):
          if value != value.rounded() || abs(value) >= 1e15 { fractional = true }
        case .missing: fractional = true
        }
      }
      writer.raw("{\"name\":")
      writer.string(name)
      writer.raw(",\"shape\":[")
      writer.number(Double(batch.rows.count))
      writer.raw("],\"datatype\":")
      writer.raw(strings ? "\"BYTES\"" : (fractional ? "\"FP64\"" : "\"INT64\""))
      writer.raw(",\"data\":[")
      for (position, row) in batch.rows.enumerated() {
        if position > 0 { writer.raw(",") }
        if strings, case .number(let value) = row[column] {
          writer.string(DataValue.labelText(value))
        } else {
          writer.value(row[column].json)
        }
      }
      writer.raw("]}")
    }
    writer.raw("],\"outputs\":[")
    for (position, output) in outputs.enumerated() {
      if position > 0 { writer.raw(",") }
      writer.raw("{\"name\":")
      writer.string(output)
      writer.raw("}")
    }
    writer.raw("]}")
    return writer.bytes
  }

  func decode(_ answer: JSONValue, rows: Int, classes: [String]?) throws(ModelError) -> Predictions
  {
    guard let tensors = answer["outputs"]?.arrayValue, !tensors.isEmpty else {
      throw ModelError(.infrastructure, "the v2 answer has no 'outputs'")
    }
    var labels: JSONValue?
    var probabilities: JSONValue?
    for tensor in tensors {
      let name = tensor["name"]?.stringValue ?? ""
      let shape = try OpenInferenceCodec.shape(tensor["shape"], of: name)
      let flat = OpenInferenceCodec.flatten(tensor["data"] ?? .null)
      let width = shape.count >= 2 ? shape[1...].reduce(1, *) : 1
      let isProbabilities = name.contains("proba") || (name != "predict" && width >= 2)
      if isProbabilities {
        guard width >= 2, flat.count == rows * width else {
          throw ModelError(
            .infrastructure,
            "v2 output '\(name)' has shape \(shape) and \(flat.count) values for \(rows) rows")
        }
        probabilities = .array(
          (0..<rows).map { .array(Array(flat[($0 * width)..<(($0 + 1) * width)])) })
      } else {
        guard flat.count == rows else {
          throw ModelError(
            .infrastructure,
            "the endpoint returned \(flat.count) predictions for \(rows) rows (v2 output '\(name)')"
          )
        }
        labels = .array(flat)
      }
    }
    if let labels {
      let decoded = try PredictionDecoder.decode(
        predictions: labels, probabilities: probabilities,
        classes: classes.map { .array($0.map(JSONValue.string)) },
        rows: rows)
      if probabilities != nil, classes == nil {
        throw ModelError(
          .infrastructure,
          "the v2 answer has probabilities but the suite does not name the classes: add 'classes:' to the model"
        )
      }
      return decoded
    }
    return try FlexiblePredictions.decode(probabilities, rows: rows, classes: classes)
  }

  /// A tensor's shape: whole, non-negative dimensions whose product stays far from overflow
  /// (a hostile answer's `[-1e40, 2]` is an error, not a trap).
  static func shape(_ value: JSONValue?, of name: String) throws(ModelError) -> [Int] {
    var shape: [Int] = []
    var product = 1
    for item in value?.arrayValue ?? [] {
      guard let number = item.numberValue, let dimension = Int(exactly: number),
        dimension >= 0, dimension <= 1 << 31,
        case (let next, false) = product.multipliedReportingOverflow(by: dimension),
        next <= 1 << 40
      else {
        throw ModelError(
          .infrastructure,
          "v2 output '\(name)' has an invalid shape: each dimension must be a whole number from 0 to 2^31"
        )
      }
      product = next
      shape.append(dimension)
    }
    return shape
  }

  static func flatten(_ value: JSONValue) -> [JSONValue] {
    guard case .array(let items) = value else { return [value] }
    return items.flatMap { item -> [JSONValue] in
      if case .array = item { return flatten(item) }
      return [item]
    }
  }
}
