import Foundation
import Yams

/// The keys of one mapping of the suite file, as an enum: a parser switches over every case,
/// so no key is taken by a `default:` branch.
package protocol ConfigKey: RawRepresentable<String>, CaseIterable, Sendable {}

/// A node of the suite's YAML with its position, read into typed values with precise errors.
///
/// Every accessor throws a ``SuiteError`` naming file:line:column and what was expected.
package struct ConfigNode {
  let node: Node
  let file: String
  let path: String
  let context: ConfigContext

  package var position: SourcePosition {
    SourcePosition(file: file, line: node.mark?.line, column: node.mark?.column)
  }

  package func error(_ message: String) -> SuiteError {
    SuiteError(position, message)
  }

  /// The key name as the user sees it.
  package var keyName: String { path.split(separator: ".").last.map(String.init) ?? path }

  package var isNull: Bool {
    if case .scalar(let scalar) = node {
      return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
    return false
  }

  package var isMapping: Bool {
    if case .mapping = node { return true }
    return false
  }

  package var isSequence: Bool {
    if case .sequence = node { return true }
    return false
  }

  private func describeKind() -> String {
    switch node {
    case .scalar(let scalar): return "'\(scalar.string)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
  }

  /// The entries of a mapping, in order; unknown keys are refused with a suggestion.
  package func mapping(allowed: [String]? = nil, what: String? = nil) throws(SuiteError) -> [(
    key: String, value: ConfigNode, keyNode: ConfigNode
  )] {
    guard case .mapping(let mapping) = node else {
      throw error("'\(keyName)' must be a mapping (key: value), found \(describeKind())")
    }
    var seen = Set<String>()
    var entries: [(key: String, value: ConfigNode, keyNode: ConfigNode)] = []
    for (keyNode, valueNode) in mapping {
      let keyConfig = ConfigNode(node: keyNode, file: file, path: path, context: context)
      guard case .scalar(let scalar) = keyNode else {
        throw keyConfig.error("keys must be plain text")
      }
      let key = scalar.string
      guard seen.insert(key).inserted else {
        throw keyConfig.error("key '\(key)' appears twice in '\(keyName)'")
      }
      if let allowed, !allowed.contains(key) {
        var message = "unknown key '\(key)' in \(what ?? "'\(keyName)'")"
        if let close = TextFormat.suggestion(for: key, in: allowed) {
          message += " — did you mean '\(close)'?"
        } else {
          message += " (allowed: \(allowed.joined(separator: ", ")))"
        }
        throw keyConfig.error(message)
      }
      let child = ConfigNode(
        node: valueNode, file: file, path: path.isEmpty ? key : "\(path).\(key)", context: context)
      entries.append((key, child, keyConfig))
    }
    return entries
  }

  /// The entries of a mapping whose keys are the cases of `Key`, in order; other keys are
  /// refused with a suggestion.
  package func entries<Key: ConfigKey>(_ keys: Key.Type, what: String? = nil) throws(SuiteError)
    -> [(
      key: Key, value: ConfigNode, keyNode: ConfigNode
    )]
  {
    try mapping(allowed: Key.allCases.map(\.rawValue), what: what).compactMap { entry in
      Key(rawValue: entry.key).map { (key: $0, value: entry.value, keyNode: entry.keyNode) }
    }
  }

  /// The items of a list.
  package func sequence() throws(SuiteError) -> [ConfigNode] {
    guard case .sequence(let sequence) = node else {
      throw error("'\(keyName)' must be a list, found \(describeKind())")
    }
    return sequence.enumerated().map { position, item in
      ConfigNode(node: item, file: file, path: "\(path)[\(position)]", context: context)
    }
  }

  /// A scalar's text after `${VAR}` expansion.
  package func string() throws(SuiteError) -> String {
    guard case .scalar(let scalar) = node else {
      throw error("'\(keyName)' must be a single value, found \(describeKind())")
    }
    do {
      let expanded = try context.interpolation.expand(scalar.string)
      context.secrets.add(expanded.secrets)
      return expanded.text
    } catch {
      throw self.error(error.message)
    }
  }

  /// The scalar's text as written, before `${VAR}` expansion.
  package var rawScalar: String? {
    if case .scalar(let scalar) = node { return scalar.string }
    return nil
  }

  /// A non-empty string.
  package func nonEmptyString() throws(SuiteError) -> String {
    let text = try string()
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw error("'\(keyName)' must not be empty")
    }
    return text
  }

  package func double() throws(SuiteError) -> Double {
    let text = try string()
    guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
      throw error("'\(keyName)' must be a number, found '\(text)'")
    }
    return value
  }

  package func int(in range: ClosedRange<Int>) throws(SuiteError) -> Int {
    let text = try string()
    guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
      throw error("'\(keyName)' must be a whole number, found '\(text)'")
    }
    guard range.contains(value) else {
      throw error(
        "'\(keyName)' must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
    }
    return value
  }

  package func bool() throws(SuiteError) -> Bool {
    let text = try string().lowercased()
    switch text {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default: throw error("'\(keyName)' must be true or false, found '\(text)'")
    }
  }

  /// A duration: `500ms`, `10s`, `2m`, `1h`, or a number of seconds.
  package func duration() throws(SuiteError) -> Duration {
    let text = try string().trimmingCharacters(in: .whitespaces)
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    var number = text
    var scale = 1.0
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      number = String(text.dropLast(suffix.count))
      scale = factor
      break
    }
    guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0
    else {
      throw error("'\(keyName)' must be a positive duration like 500ms, 10s or 2m, found '\(text)'")
    }
    return .milliseconds(Int64((value * scale * 1000).rounded()))
  }

  /// A string, or a list of strings.
  package func stringList() throws(SuiteError) -> [String] {
    if isSequence { return try sequence().map { (item) throws(SuiteError) in try item.string() } }
    return [try string()]
  }

  /// A decision rule: `estimate` or `interval` (`decide_on` in every category).
  package func decisionRule() throws(SuiteError) -> DecisionRule {
    let text = try string()
    guard let rule = DecisionRule(rawValue: text) else {
      throw error(
        "'\(keyName)' is 'estimate' (OpenScale: the point estimate) or 'interval' (the whole confidence interval), found '\(text)'"
      )
    }
    return rule
  }

  /// A number within `range`, such as a share in 0…1.
  package func double(in range: ClosedRange<Double>) throws(SuiteError) -> Double {
    let value = try double()
    guard range.contains(value) else {
      throw error(
        "'\(keyName)' must be between \(TextFormat.compact(range.lowerBound)) and \(TextFormat.compact(range.upperBound)), found \(TextFormat.compact(value))"
      )
    }
    return value
  }

  /// One of an enum's spellings, such as `fail` or `warn`.
  package func choice<Choice: RawRepresentable<String> & CaseIterable>(_ type: Choice.Type)
    throws(SuiteError) -> Choice
  {
    let text = try string()
    guard let choice = Choice(rawValue: text) else {
      let names = Choice.allCases.map(\.rawValue)
      throw error(
        "'\(keyName)' is one of \(names.map { "'\($0)'" }.joined(separator: ", ")), found '\(text)'"
      )
    }
    return choice
  }

  /// A data role: `test` or `reference`.
  package func dataRole() throws(SuiteError) -> DataRole {
    let text = try string()
    guard let role = DataRole(rawValue: text) else {
      throw error("'\(keyName)' is 'test' or 'reference', found '\(text)'")
    }
    return role
  }

  /// A path resolved against the suite file's folder.
  package func filePath() throws(SuiteError) -> String {
    let text = try nonEmptyString()
    return context.resolve(text)
  }
}

/// What every node of one suite shares: the environment, the folder, the secrets found.
final class ConfigContext: Sendable {
  let interpolation: Interpolation
  let directory: String
  let secrets = SecretStore()

  init(directory: String, environment: @escaping @Sendable (String) -> String?) {
    self.directory = directory
    interpolation = Interpolation(lookup: environment)
  }

  /// An absolute path for `text`, relative paths taken from the suite's folder.
  func resolve(_ text: String) -> String {
    if text.hasPrefix("/") { return text }
    if text.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
      return home + text.dropFirst(1)
    }
    return URL(
      fileURLWithPath: text, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)
    )
    .standardizedFileURL.path
  }
}
