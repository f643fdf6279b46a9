/// Reads `tests: adversarial:`, a list of attacks.
///
/// ```yaml
/// adversarial:
///   - attack: greedy              # or noise
///     name: small changes do not flip decisions     # default: the attack and its ε
///     epsilon: 0.5                # L∞, in units of each feature's spread (IQR / 1.349)
///     immutable: [Age]            # numeric features change by default; or mutable: [...], which
///                                 # may name categorical ones too (greedy tries their values)
///     max_changed: 3              # greedy: features changed at most
///     rows: 200                   # correctly classified rows attacked (seeded, stratified)
///     max_queries: 1000           # per row; total_queries: for the whole attack
///     max_success_rate: 0.1       # or min_robust_accuracy: 0.9
/// ```
struct AdversarialConfigParser {
  enum Key: String, ConfigKey {
    case attack, name, epsilon, grid, immutable, mutable
    case maxChanged = "max_changed"
    case rows, data, tries, iterations
    case maxQueries = "max_queries"
    case totalQueries = "total_queries"
    case maxSuccessRate = "max_success_rate"
    case minRobustAccuracy = "min_robust_accuracy"
    case minRows = "min_rows"
    case decideOn = "decide_on"
  }

  /// The robust-accuracy grid of the statistics notes (spread units).
  static let standardGrid = [0.05, 0.1, 0.25, 0.5, 1.0]

  let outline: SuiteOutline
  let space: FeatureSpace

  func parse(_ node: ConfigNode) throws(SuiteError) -> AdversarialConfig {
    var attacks: [AttackSpec] = []
    var names = Set<String>()
    for item in try node.sequence() {
      let attack = try parseAttack(item)
      guard names.insert(attack.name).inserted else {
        throw item.error("an attack named '\(attack.name)' appears twice: give each a 'name'")
      }
      attacks.append(attack)
    }
    guard !attacks.isEmpty else {
      throw node.error("'adversarial' lists no attack: add '- attack: greedy' (or noise)")
    }
    return AdversarialConfig(attacks: attacks, space: space)
  }

  private func parseAttack(_ node: ConfigNode) throws(SuiteError) -> AttackSpec {
    var values: [Key: ConfigNode] = [:]
    for entry in try node.entries(Key.self, what: "an attack") { values[entry.key] = entry.value }
    guard let attackNode = values[.attack] else {
      throw node.error(
        "an attack needs 'attack:' (\(AttackKind.allCases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    let attackText = try attackNode.string()
    guard let kind = AttackKind(rawValue: attackText) else {
      var message =
        "unknown attack '\(attackText)' (\(AttackKind.allCases.map(\.rawValue).joined(separator: ", ")))"
      if attackText == "boundary" {
        message += "; the boundary attack needs 100,000 queries a row: use hop_skip_jump"
      }
      throw attackNode.error(message)
    }
    guard let epsilonNode = values[.epsilon] else {
      throw node.error(
        "an attack needs 'epsilon:' (the largest change, in units of each feature's spread, e.g. 0.5)"
      )
    }
    let epsilon = try epsilonNode.double()
    guard epsilon > 0, epsilon <= 10 else {
      throw epsilonNode.error(
        "'epsilon' is in spread units, above 0 and at most 10, found \(epsilon)")
    }
    var grid = AdversarialConfigParser.standardGrid.filter { $0 < epsilon } + [epsilon]
    if let gridNode = values[.grid] {
      grid = try gridNode.sequence().map { (item) throws(SuiteError) in
        let value = try item.double()
        guard value > 0, value <= epsilon else {
          throw item.error("a grid value lies in (0, epsilon], found \(value)")
        }
        return value
      }.sorted()
    }
    let perturbation = PerturbationParser(space: space)
    // By default only numbers move (by at most ε spreads): a category switch is no small
    // change. A suite that wants categories changed names them in 'mutable'.
    var mutable = space.features.indices.filter { space.features[$0].isNumeric }
    if let immutableNode = values[.immutable] {
      if let both = values[.mutable] {
        throw both.error("'mutable' and 'immutable' are alternatives: name one list")
      }
      let fixed = try immutableNode.stringList().map { (name) throws(SuiteError) in
        try perturbation.feature(name, at: immutableNode)
      }
      mutable.removeAll { fixed.contains($0) }
    } else if let mutableNode = values[.mutable] {
      mutable = try mutableNode.stringList().map { (name) throws(SuiteError) in
        try perturbation.feature(name, at: mutableNode)
      }
    }
    mutable.removeAll { index in
      let feature = space.features[index]
      return !feature.isNumeric && feature.values == nil
    }
    if kind != .greedy { mutable.removeAll { !space.features[$0].isNumeric } }
    guard !mutable.isEmpty else {
      throw node.error(
        "the attack may change no feature: \(kind == .greedy ? "every feature is immutable" : "\(kind.rawValue) changes numeric features only")"
      )
    }
    func count(_ key: Key, _ range: ClosedRange<Int>, _ fallback: Int) throws(SuiteError) -> Int {
      try values[key].map { (node) throws(SuiteError) in try node.int(in: range) } ?? fallback
    }
    func share(_ key: Key) throws(SuiteError) -> Double? {
      guard let node = values[key] else { return nil }
      let value = try node.double()
      guard (0...1).contains(value) else {
        throw node.error("'\(key.rawValue)' is a share in [0, 1], found \(value)")
      }
      return value
    }
    let maxSuccessRate = try share(.maxSuccessRate)
    let minRobustAccuracy = try share(.minRobustAccuracy)
    if maxSuccessRate == nil, minRobustAccuracy == nil {
      throw node.error(
        "an attack needs a bound: 'max_success_rate: 0.1' (share of attacked rows flipped) or 'min_robust_accuracy: 0.9'"
      )
    }
    if maxSuccessRate != nil, let both = values[.minRobustAccuracy] {
      throw both.error("'max_success_rate' and 'min_robust_accuracy' say the same: name one")
    }
    let data = try values[.data]?.dataRole() ?? .test
    guard outline.data.file(data) != nil else {
      throw (values[.data] ?? node).error(
        "the attack needs labelled \(data.rawValue) data: add 'data: { \(data.rawValue): … }'")
    }
    let decideOn = try values[.decideOn]?.decisionRule() ?? .estimate
    let maxQueries = try count(.maxQueries, 1...10_000_000, 1000)
    let name =
      try values[.name].map { (node) throws(SuiteError) in try node.nonEmptyString() }
      ?? "\(kind.rawValue) attack within ε = \(TextFormat.scientific(epsilon)) spread"
    return AttackSpec(
      kind: kind, name: name, epsilon: epsilon, grid: grid, mutable: mutable,
      maxChanged: try count(.maxChanged, 1...1000, 3), rows: try count(.rows, 1...1_000_000, 200),
      data: data, tries: try count(.tries, 1...100_000, 25),
      iterations: try count(.iterations, 1...1000, 10), maxQueries: maxQueries,
      totalQueries: try count(.totalQueries, 1...1_000_000_000, 1_000_000),
      maxSuccessRate: maxSuccessRate, minRobustAccuracy: minRobustAccuracy,
      minRows: try count(.minRows, 1...1_000_000, 20), decideOn: decideOn)
  }
}
