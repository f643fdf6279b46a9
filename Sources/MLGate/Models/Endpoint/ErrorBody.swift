/// Reads an error response the way each server writes it: `error`, `message`, `detail` (string
/// or list), `errors[].message`, `errorMessage`, or plain text / HTML, trimmed for one line.
enum ErrorBody {
  static func summary(_ body: [UInt8], contentType: String?) -> String {
    if let json = try? JSONParser.parse(body) {
      if let text = message(in: json) { return clip(text) }
    }
    var text = String(decoding: body.prefix(4_096), as: UTF8.self)
    if contentType?.contains("html") == true || text.lowercased().contains("<html") {
      text = stripTags(text)
    }
    text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    return text.isEmpty ? "(empty body)" : clip(text)
  }

  private static func message(in json: JSONValue) -> String? {
    for key in ["error", "message", "errorMessage", "detail", "error_message", "Message"] {
      guard let value = json[key] else { continue }
      switch value {
      case .string(let text): return text
      case .object: if let inner = message(in: value) { return inner }
      case .array(let items):
        let texts = items.compactMap { item -> String? in
          if let text = item.stringValue { return text }
          return item["msg"]?.stringValue ?? item["message"]?.stringValue
        }
        if !texts.isEmpty { return texts.joined(separator: "; ") }
      default: continue
      }
    }
    if let errors = json["errors"]?.arrayValue {
      let texts = errors.compactMap { $0["message"]?.stringValue ?? $0.stringValue }
      if !texts.isEmpty { return texts.joined(separator: "; ") }
    }
    return nil
  }

  private static func stripTags(_ html: String) -> String {
    var output = ""
    var inTag = false
    for character in html {
      if character == "<" {
        inTag = true
        output.append(" ")
      } else if character == ">" {
        inTag = false
      } else if !inTag {
        output.append(character)
      }
    }
    return output
  }

  private static func clip(_ text: String) -> String { TextFormat.trimmed(text, limit: 300) }
}
