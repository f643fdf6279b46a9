/// Reads a step's output parameters — a JSON object (nested keys as `a.b`) or `key=value` lines
/// (shell-style: `#` comments, `export`, quotes) — and judges them.
enum OutputReader {
  /// The largest output file read.
  static let maxBytes = 4 << 20

  /// The parameters in `bytes`, by key.
  static func parameters(_ bytes: [UInt8]) -> [String: JSONValue] {
    let text = String(decoding: bytes, as: UTF8.self)
    let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
    if trimmed.first == "{", let document = try? JSONParser.parse(bytes) {
      var flat: [String: JSONValue] = [:]
      flatten(document, prefix: "", into: &flat)
      return flat
    }
    var parameters: [String: JSONValue] = [:]
    for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
      var line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
      guard let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces)
      var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, let first = value.first, first == "\"" || first == "'",
        value.last == first
      {
        value = String(value.dropFirst().dropLast())
      }
      parameters[key] = .string(value)
    }
    return parameters
  }

  private static func flatten(
    _ value: JSONValue, prefix: String, into flat: inout [String: JSONValue]
  ) {
    if case .object(let members) = value {
      for member in members {
        flatten(
          member.value, prefix: prefix.isEmpty ? member.key : "\(prefix).\(member.key)", into: &flat
        )
      }
    }
    if !prefix.isEmpty { flat[prefix] = value }
  }

  /// Whether `value` meets `rule`, and how it reads.
  static func judge(_ value: JSONValue, _ rule: OutputParameters.Rule) -> (met: Bool, shown: String)
  {
    let shown: String
    switch value {
    case .string(let text): shown = text
    case .number(let number): shown = DataValue.labelText(number)
    case .bool(let flag): shown = flag ? "true" : "false"
    case .null: shown = "null"
    case .array, .object: shown = value.kindName
    }
    var number: Double? {
      switch value {
      case .number(let number): return number
      case .string(let text): return Double(text.trimmingCharacters(in: .whitespaces))
      default: return nil
      }
    }
    switch rule {
    case .bool(let expected):
      switch value {
      case .bool(let flag): return (flag == expected, shown)
      case .string(let text):
        let lower = text.lowercased()
        return (
          (lower == "true" || lower == "1") == expected
            && ["true", "false", "1", "0"].contains(lower), shown
        )
      case .number(let n): return ((n != 0) == expected && (n == 0 || n == 1), shown)
      default: return (false, shown)
      }
    case .number(let expected):
      guard let number else { return (false, shown) }
      return (abs(number - expected) <= 1e-9 * max(1, abs(expected)), shown)
    case .text(let expected): return (shown == expected, shown)
    case .bound(let bound, let side):
      guard let number else { return (false, shown) }
      return (ThresholdForm(value: bound, direction: side).isMet(by: number, side: side), shown)
    }
  }

  /// "false", "at least 0.7".
  static func describe(_ rule: OutputParameters.Rule) -> String {
    switch rule {
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let number): return DataValue.labelText(number)
    case .text(let text): return "'\(text)'"
    case .bound(let value, let side):
      return "\(side == .lower ? "at least" : "at most") \(DataValue.labelText(value))"
    }
  }
}
