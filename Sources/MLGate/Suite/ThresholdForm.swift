/// A bound written in one of IBM OpenScale's threshold forms, read the same way by every
/// category: `0.8`, `[0.8, lower]`, `{threshold: [0.8, lower]}`, `{threshold: 0.8}` and
/// `{type: lower_limit, value: 0.8}`.
package struct ThresholdForm: Sendable, Hashable {
  /// The bound.
  package var value: Double
  /// The side, when the form says (`lower`/`upper`, `lower_limit`/`upper_limit`).
  package var direction: Direction?

  /// Reads a threshold of `what` (for messages) at `node`.
  package static func read(_ node: ConfigNode, what: String) throws(SuiteError) -> ThresholdForm {
    if node.isSequence {
      let items = try node.sequence()
      guard items.count == 2 else {
        throw node.error(
          "a threshold list is [value, lower|upper], e.g. [0.8, lower]; found \(items.count) items")
      }
      return ThresholdForm(value: try items[0].double(), direction: try direction(items[1]))
    }
    if node.isMapping {
      var value: Double?
      var side: Direction?
      for entry in try node.entries(ThresholdKey.self, what: "the threshold of \(what)") {
        switch entry.key {
        case .threshold:
          let inner = try read(entry.value, what: what)
          value = inner.value
          side = inner.direction ?? side
        case .type: side = try direction(entry.value)
        case .value: value = try entry.value.double()
        }
      }
      guard let value else {
        throw node.error("the threshold of \(what) needs a value: {threshold: [0.8, lower]}")
      }
      return ThresholdForm(value: value, direction: side)
    }
    return ThresholdForm(value: try node.double(), direction: nil)
  }

  /// Whether `node` is written as a threshold rather than a plain value: a two-item list or a
  /// mapping.
  package static func looksLikeThreshold(_ node: ConfigNode) -> Bool {
    node.isSequence || node.isMapping
  }

  /// `lower` (at least) or `upper` (at most), in OpenScale's spellings too.
  package static func direction(_ node: ConfigNode) throws(SuiteError) -> Direction {
    let text = try node.string().lowercased()
    switch text {
    case "lower", "lower_limit", "min", "at_least": return .lower
    case "upper", "upper_limit", "max", "at_most": return .upper
    default:
      throw node.error(
        "a threshold's direction is 'lower' (at least) or 'upper' (at most), found '\(text)'")
    }
  }

  /// Whether `figure` meets the bound on `side`.
  package func isMet(by figure: Double, side: Direction) -> Bool {
    guard figure.isFinite else { return false }
    return side == .lower ? figure >= value : figure <= value
  }
}

/// The keys of a threshold written as a mapping: `{threshold: [0.8, lower]}`.
private enum ThresholdKey: String, ConfigKey {
  case threshold, type, value
}
