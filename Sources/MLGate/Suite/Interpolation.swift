/// Expands `${VAR}` and `${VAR:-default}` from the environment; `$$` is a literal `$`.
struct Interpolation {
  /// Reads an environment variable.
  let lookup: @Sendable (String) -> String?

  /// The names of variables that look like credentials: their values are redacted everywhere.
  static func isSecretName(_ name: String) -> Bool {
    let upper = name.uppercased()
    return ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY", "API_KEY", "CREDENTIAL", "PRIVATE"]
      .contains { upper.contains($0) }
  }

  /// The expanded text and the values of secret-looking variables used in it.
  func expand(_ text: String) throws(InterpolationError) -> (text: String, secrets: [String]) {
    guard text.contains("$") else { return (text, []) }
    var output = ""
    var secrets: [String] = []
    var rest = Substring(text)
    while let dollar = rest.firstIndex(of: "$") {
      output += rest[..<dollar]
      let after = rest.index(after: dollar)
      if after < rest.endIndex, rest[after] == "$" {
        output += "$"
        rest = rest[rest.index(after: after)...]
        continue
      }
      guard after < rest.endIndex, rest[after] == "{" else {
        output += "$"
        rest = rest[after...]
        continue
      }
      guard let close = rest[after...].firstIndex(of: "}") else {
        throw InterpolationError(
          message: "'${' is not closed by '}' (write '$$' for a literal '$')")
      }
      let inner = rest[rest.index(after: after)..<close]
      let name: Substring
      var fallback: Substring?
      if let marker = inner.range(of: ":-") {
        name = inner[..<marker.lowerBound]
        fallback = inner[marker.upperBound...]
      } else {
        name = inner
      }
      guard !name.isEmpty,
        name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
        name.first.map({ !$0.isNumber }) ?? false
      else {
        throw InterpolationError(message: "'${\(inner)}' is not a valid variable name")
      }
      let value: String
      if let set = lookup(String(name)), !(set.isEmpty && fallback != nil) {
        value = set
      } else if let fallback {
        value = String(fallback)
      } else {
        throw InterpolationError(
          message: "environment variable \(name) is not set (set it, or write ${\(name):-default})")
      }
      if Interpolation.isSecretName(String(name)), !value.isEmpty { secrets.append(value) }
      output += value
      rest = rest[rest.index(after: close)...]
    }
    output += rest
    return (output, secrets)
  }
}

/// A `${…}` that cannot be expanded.
struct InterpolationError: Error {
  var message: String
}
