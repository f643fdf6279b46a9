/// Turns the JSON parts of a model's answer into ``Predictions``, checking shape and values.
///
/// Shared by every model kind so that a wrong count, a NaN or a string where a probability
/// belongs gets the same clear message whatever the transport.
enum PredictionDecoder {
  static func decode(
    predictions: JSONValue?, probabilities: JSONValue?, classes: JSONValue?, rows: Int
  ) throws(ModelError) -> Predictions {
    guard let predictions else {
      throw ModelError(.infrastructure, "the model's answer has no 'predictions'")
    }
    guard let items = predictions.arrayValue else {
      throw ModelError(
        .infrastructure, "'predictions' must be a list, found \(predictions.kindName)")
    }
    guard items.count == rows else {
      throw ModelError(
        .infrastructure, "the model returned \(items.count) predictions for \(rows) rows")
    }
    var values: [DataValue] = []
    values.reserveCapacity(rows)
    for (row, item) in items.enumerated() {
      switch item {
      case .number(let number):
        guard number.isFinite else {
          throw ModelError(
            .infrastructure, "prediction \(row + 1) is \(number), not a finite number")
        }
        values.append(.number(number))
      case .string(let text): values.append(.string(text))
      case .bool(let flag): values.append(.string(flag ? "true" : "false"))
      case .array(let inner) where inner.count == 1:
        guard let number = inner[0].numberValue, number.isFinite else {
          throw ModelError(
            .infrastructure, "prediction \(row + 1) is a list that does not hold one finite number")
        }
        values.append(.number(number))
      default:
        throw ModelError(
          .infrastructure, "prediction \(row + 1) is \(item.kindName), expected a label or a number"
        )
      }
    }
    var classNames: [String]?
    if let classes, classes != .null {
      guard let list = classes.arrayValue, list.count >= 2 else {
        throw ModelError(.infrastructure, "'classes' must be a list of at least two class names")
      }
      classNames = try list.map { (item) throws(ModelError) -> String in
        switch item {
        case .string(let text): return text
        case .number(let number) where number.isFinite: return DataValue.labelText(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: throw ModelError(.infrastructure, "a class name is \(item.kindName)")
        }
      }
    }
    var matrix: [[Double]]?
    if let probabilities, probabilities != .null {
      guard let list = probabilities.arrayValue, list.count == rows else {
        throw ModelError(
          .infrastructure,
          "'probabilities' must hold one list per row (\(rows)), found \(probabilities.arrayValue.map { "\($0.count)" } ?? probabilities.kindName)"
        )
      }
      var rowsOut: [[Double]] = []
      rowsOut.reserveCapacity(rows)
      for (row, item) in list.enumerated() {
        guard let cells = item.arrayValue else {
          throw ModelError(
            .infrastructure, "probabilities of row \(row + 1) are \(item.kindName), not a list")
        }
        if let classNames, cells.count != classNames.count {
          throw ModelError(
            .infrastructure,
            "row \(row + 1) has \(cells.count) probabilities for \(classNames.count) classes")
        }
        var out: [Double] = []
        out.reserveCapacity(cells.count)
        for cell in cells {
          guard let number = cell.numberValue, number.isFinite, number >= -1e-9, number <= 1 + 1e-9
          else {
            throw ModelError(
              .infrastructure,
              "probability in row \(row + 1) is \(describe(cell)), expected a number between 0 and 1"
            )
          }
          out.append(number)
        }
        rowsOut.append(out)
      }
      matrix = rowsOut
    }
    return Predictions(values: values, probabilities: matrix, classes: classNames)
  }

  private static func describe(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): return "the string '\(TextFormat.trimmed(text, limit: 40))'"
    case .number(let number): return "\(number)"
    default: return value.kindName
    }
  }
}
