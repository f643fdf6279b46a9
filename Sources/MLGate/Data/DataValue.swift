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
  static func fromCSV(_ text: Substring, missing: MissingMarkers) -> DataValue {
    if text.isEmpty || missing.contains(text) { return .missing }
    let utf8 = text.utf8
    guard let first = utf8.first,
      first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
        || (first >= 0x30 && first <= 0x39)
    else { return .string(String(text)) }
    var index = utf8.startIndex
    if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { index = utf8.index(after: index) }
    if index != utf8.endIndex, utf8[index] == 0x30 {
      let next = utf8.index(after: index)
      if next != utf8.endIndex, utf8[next] >= 0x30, utf8[next] <= 0x39 {
        return .string(String(text))
      }
    }
    if let value = Double(text), value.isFinite { return .number(value) }
    return .string(String(text))
  }

  /// Cell texts read as missing, with a cheap first test: most cells start with a byte no
  /// marker starts with and are never hashed.
  package struct MissingMarkers: Sendable {
    private let markers: Set<String>
    private let firstBytes: [Bool]

    /// Creates the markers.
    package init(_ markers: Set<String>) {
      self.markers = markers
      var firstBytes = [Bool](repeating: false, count: 256)
      for marker in markers { if let byte = marker.utf8.first { firstBytes[Int(byte)] = true } }
      self.firstBytes = firstBytes
    }

    /// Whether `text` is a marker.
    func contains(_ text: some StringProtocol) -> Bool {
      guard let byte = text.utf8.first else { return markers.contains("") }
      return firstBytes[Int(byte)] && markers.contains(String(text))
    }
  }
}
