/// A failure to read JSON text, with the byte offset where it happened.
package struct JSONParseError: Error, Sendable, CustomStringConvertible {
  /// What is wrong.
  package var message: String
  /// Zero-based byte offset in the input.
  package var offset: Int

  package var description: String { "\(message) at byte \(offset + 1)" }
}

/// A small, strict RFC 8259 JSON reader over UTF-8 bytes.
///
/// Why not Foundation's `JSONSerialization` or `JSONDecoder`: a JSON Lines data file's columns
/// are the keys of its first row, in document order, and Foundation's dictionaries lose that
/// order; the answers of models and endpoints have no fixed shape to decode into; and a model
/// that writes `NaN` must get a message naming it, not a generic parse failure. This reader keeps
/// object keys in document order (``JSONValue/object(_:)``), reads bytes without a `Data` copy,
/// and reports the byte offset of the first error.
///
/// Strict except for the bare tokens `NaN`, `Infinity` and `-Infinity`, which are read as numbers
/// so the caller can reject them with a clear message. Nesting is limited to 512 levels.
package struct JSONParser {
  private let bytes: [UInt8]
  private var index = 0
  private var depth = 0

  /// Parses one JSON document that must fill the whole input (surrounding white space allowed).
  package static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipSpace()
    let value = try parser.parseValue()
    parser.skipSpace()
    guard parser.index == bytes.count else {
      throw JSONParseError(message: "unexpected text after the JSON value", offset: parser.index)
    }
    return value
  }

  /// Parses one JSON document from a string.
  package static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try parse(Array(text.utf8))
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private func fail(_ message: String) -> JSONParseError {
    JSONParseError(message: message, offset: index)
  }

  private mutating func parseValue() throws(JSONParseError) -> JSONValue {
    guard index < bytes.count else { throw fail("unexpected end of JSON") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectWord("null"); return .null
    case UInt8(ascii: "N"): try expectWord("NaN"); return .number(.nan)
    case UInt8(ascii: "I"): try expectWord("Infinity"); return .number(.infinity)
    default: return .number(try parseNumber())
    }
  }

  private mutating func expectWord(_ word: String) throws(JSONParseError) {
    for byte in word.utf8 {
      guard index < bytes.count, bytes[index] == byte else {
        throw fail("invalid literal, expected '\(word)'")
      }
      index += 1
    }
  }

  private mutating func enter() throws(JSONParseError) {
    depth += 1
    if depth > 512 { throw fail("JSON nested more than 512 levels") }
  }

  private mutating func parseObject() throws(JSONParseError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1
    var members: [(key: String, value: JSONValue)] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw fail("expected a string key in object")
      }
      let key = try parseString()
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw fail("expected ':' after object key")
      }
      index += 1
      skipSpace()
      members.append((key, try parseValue()))
      skipSpace()
      guard index < bytes.count else { throw fail("unexpected end of JSON in object") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      } else {
        throw fail("expected ',' or '}' in object")
      }
    }
  }

  private mutating func parseArray() throws(JSONParseError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1
    var items: [JSONValue] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      skipSpace()
      items.append(try parseValue())
      skipSpace()
      guard index < bytes.count else { throw fail("unexpected end of JSON in array") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
      } else if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      } else {
        throw fail("expected ',' or ']' in array")
      }
    }
  }

  private mutating func parseNumber() throws(JSONParseError) -> Double {
    let start = index
    if bytes[index] == UInt8(ascii: "-") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "I") {
        try expectWord("Infinity")
        return -.infinity
      }
    }
    func digits(_ parser: inout JSONParser) -> Int {
      let from = parser.index
      while parser.index < parser.bytes.count,
        parser.bytes[parser.index] >= 0x30, parser.bytes[parser.index] <= 0x39
      {
        parser.index += 1
      }
      return parser.index - from
    }
    let intDigits = digits(&self)
    guard intDigits > 0 else { throw fail("invalid value") }
    if intDigits > 1, bytes[index - intDigits] == UInt8(ascii: "0") {
      throw fail("leading zero in number")
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard digits(&self) > 0 else { throw fail("expected digits after '.'") }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard digits(&self) > 0 else { throw fail("expected digits in exponent") }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard let value = Double(text) else { throw fail("invalid number '\(text)'") }
    return value
  }

  private mutating func parseString() throws(JSONParseError) -> String {
    index += 1
    var utf8: [UInt8] = []
    while true {
      guard index < bytes.count else { throw fail("unterminated string") }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        break
      }
      if byte < 0x20 { throw fail("control character in string") }
      if byte != UInt8(ascii: "\\") {
        utf8.append(byte)
        index += 1
        continue
      }
      index += 1
      guard index < bytes.count else { throw fail("unterminated escape") }
      let escape = bytes[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""): utf8.append(0x22)
      case UInt8(ascii: "\\"): utf8.append(0x5C)
      case UInt8(ascii: "/"): utf8.append(0x2F)
      case UInt8(ascii: "b"): utf8.append(0x08)
      case UInt8(ascii: "f"): utf8.append(0x0C)
      case UInt8(ascii: "n"): utf8.append(0x0A)
      case UInt8(ascii: "r"): utf8.append(0x0D)
      case UInt8(ascii: "t"): utf8.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try parseHex4()
        if (0xD800...0xDBFF).contains(scalar) {
          if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
          {
            index += 2
            let low = try parseHex4()
            if (0xDC00...0xDFFF).contains(low) {
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else {
              scalar = 0xFFFD
            }
          } else {
            scalar = 0xFFFD
          }
        } else if (0xDC00...0xDFFF).contains(scalar) {
          scalar = 0xFFFD
        }
        let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        utf8.append(contentsOf: Array(String(character).utf8))
      default:
        throw fail("invalid escape in string")
      }
    }
    return String(decoding: utf8, as: UTF8.self)
  }

  private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case 0x30...0x39: digit = UInt32(byte - 0x30)
      case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
      case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
      default: throw fail("invalid \\u escape")
      }
      value = value * 16 + digit
      index += 1
    }
    return value
  }
}
