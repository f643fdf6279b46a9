/// A JSON value, as read from a model's answer or a JSON Lines data file.
///
/// Numbers keep full `Double` precision; integers beyond 2^53 lose precision as in every
/// JavaScript reader. Non-standard `NaN`, `Infinity` and `-Infinity` tokens (TensorFlow Serving
/// writes them) are read as numbers so the caller can flag them.
package enum JSONValue: Sendable, Equatable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number.
  case number(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object; keys keep their document order.
  case object([(key: String, value: JSONValue)])

  package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b || (a.isNaN && b.isNaN)
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// The member `key` of an object, or nil.
  package subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.last(where: { $0.key == key })?.value
  }

  /// The elements of an array, or nil.
  package var arrayValue: [JSONValue]? {
    if case .array(let items) = self { return items }
    return nil
  }

  /// The number, or nil.
  package var numberValue: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// The string, or nil.
  package var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// A short description of the value's kind, for messages.
  package var kindName: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }
}
