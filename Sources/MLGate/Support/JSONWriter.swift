/// Appends JSON text to a byte buffer: the fast path for request bodies and JSON Lines.
///
/// Doubles are written in Swift's shortest round-trip form, so a reader gets the exact value
/// back; integral values print without a fraction (`31`, not `31.0`). Non-finite numbers cannot
/// be written as JSON and become `null`.
package struct JSONWriter: Sendable {
  /// The bytes written so far.
  package private(set) var bytes: [UInt8] = []

  /// Whether non-finite numbers are written as `NaN`, `Infinity`, `-Infinity` (not JSON, but
  /// what Python's reader accepts) rather than `null`.
  package var nonFiniteTokens = false

  /// Creates an empty writer, reserving `capacity` bytes.
  package init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

  /// Creates an empty writer for a model request, reserving `capacity` bytes.
  package init(capacity: Int, for batch: ModelInput) {
    bytes.reserveCapacity(capacity)
    nonFiniteTokens = batch.nonFiniteTokens
  }

  /// Appends raw JSON punctuation or text known to be valid.
  package mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Appends a string literal with JSON escaping.
  package mutating func string(_ text: String) {
    bytes.append(0x22)
    for byte in text.utf8 {
      switch byte {
      case 0x22: bytes.append(0x5C); bytes.append(0x22)
      case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
      case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
      case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
      case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
      case 0..<0x20:
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0xF)])
      default: bytes.append(byte)
      }
    }
    bytes.append(0x22)
  }

  /// Appends a number; non-finite values become `null`.
  package mutating func number(_ value: Double) {
    guard value.isFinite else {
      if !nonFiniteTokens {
        raw("null")
      } else if value.isNaN {
        raw("NaN")
      } else {
        if value < 0 { raw("-Infinity") } else { raw("Infinity") }
      }
      return
    }
    if value == value.rounded(), abs(value) < 1e15 {
      bytes.append(contentsOf: Array(String(Int64(value)).utf8))
    } else {
      bytes.append(contentsOf: Array(value.description.utf8))
    }
  }

  /// Appends any JSON value.
  package mutating func value(_ value: JSONValue) {
    switch value {
    case .null: raw("null")
    case .bool(let flag): if flag { raw("true") } else { raw("false") }
    case .number(let number): self.number(number)
    case .string(let text): string(text)
    case .array(let items):
      raw("[")
      for (position, item) in items.enumerated() {
        if position > 0 { raw(",") }
        self.value(item)
      }
      raw("]")
    case .object(let members):
      raw("{")
      for (position, member) in members.enumerated() {
        if position > 0 { raw(",") }
        string(member.key)
        raw(":")
        self.value(member.value)
      }
      raw("}")
    }
  }
}
