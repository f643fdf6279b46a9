/// One cell of a dataset: a number, a string, or missing.
package enum DataValue: Sendable, Hashable {
  /// A number (CSV cells that parse as a finite decimal number, JSON numbers).
  case number(Double)
  /// Any other text.
  case string(String)
  /// An empty cell, a configured missing marker, or JSON `null`.
  case missing

  /// The value as a JSON value for a model request.
  package var json: JSONValue {
    switch self {
    case .number(let value): return .number(value)
    case .string(let value): return .string(value)
    case .missing: return .null
    }
  }

  /// The value as a class label: numbers print without a needless `.0` (`1.0` → `1`).
  package var labelText: String? {
    switch self {
    case .number(let value): return DataValue.labelText(value)
    case .string(let value): return value
    case .missing: return nil
    }
  }

  /// A number's text as a label.
  static func labelText(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return value.description
  }

  /// Types a raw CSV cell: missing markers first, then numbers, else text.
  ///
  /// Text with a leading zero such as `01234` stays text (identifiers, ZIP codes).
  static func fromCSV(_ text: Substring, missing: Set<String>) -> DataValue {
    if text.isEmpty || missing.contains(String(text)) { return .missing }
    guard let first = text.utf8.first,
      first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
        || (first >= 0x30 && first <= 0x39)
    else { return .string(String(text)) }
    let utf8 = Array(text.utf8)
    let digitsStart = (first == UInt8(ascii: "-") || first == UInt8(ascii: "+")) ? 1 : 0
    if utf8.count > digitsStart + 1, utf8[digitsStart] == 0x30,
      utf8[digitsStart + 1] >= 0x30, utf8[digitsStart + 1] <= 0x39
    {
      return .string(String(text))
    }
    if let value = Double(text), value.isFinite { return .number(value) }
    return .string(String(text))
  }
}
