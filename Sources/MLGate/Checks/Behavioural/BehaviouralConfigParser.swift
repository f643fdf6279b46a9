/// Reads `tests: behavioural:`.
///
/// ```yaml
/// behavioural:
///   minimum_functionality:
///     - name: clearly safe applicants are approved
///       cases: mft-safe.csv            # CSV / JSON Lines with every feature, or a list of rows
///       expect: No Risk                # or { not: Risk }, { probability: { Risk: [0.3, upper] } },
///       max_failure_rate: 0.05         #    { range: [10, 20] } (regression), or expect_column
///   invariance:
///     - name: sex does not change the decision
///       perturb: { swap: { Sex: [male, female] } }
///       tolerance: 0.1                 # also fail when a probability moves more than this
///   directionality:
///     - name: a longer loan is not less risky
///       perturb: { scale: { LoanDuration: 1.5 } }
///       expect: not_decreasing         # increasing, decreasing, not_increasing
///       class: Risk                    # default: the positive class
/// ```
/// Every test also takes `data` (test or reference), `sample` (rows, or `all`; default 10,000),
/// `max_failure_rate` (default 0), `min_rows` (default 20) and `decide_on`.
struct BehaviouralConfigParser {
  enum Key: String, ConfigKey {
    case name, cases, data, sample, perturb, expect
    case expectColumn = "expect_column"
    case `class`, tolerance
    case maxFailureRate = "max_failure_rate"
    case minRows = "min_rows"
    case decideOn = "decide_on"
  }

  enum ExpectKey: String, ConfigKey {
    case not, probability, range
  }

  /// Rows sampled from the data unless a test says otherwise: enough for a tight interval,
  /// bounded memory whatever the file's size.
  static let defaultSample = 10_000
  /// The most hand-made cases a file may hold.
  static let maxCases = 100_000

  let outline: SuiteOutline
  let space: FeatureSpace

  func parse(_ node: ConfigNode) throws(SuiteError) -> BehaviouralConfig {
    var tests: [BehaviouralTest] = []
    var names = Set<String>()
    for entry in try node.mapping(
      allowed: BehaviouralKind.allCases.map(\.rawValue), what: "'behavioural'")
    {
      let kind = BehaviouralKind(rawValue: entry.key) ?? .invariance
      for item in try entry.value.sequence() {
        let test = try parseTest(item, kind: kind)
        guard names.insert(test.name).inserted else {
          throw item.error("a behavioural test named '\(test.name)' appears twice")
        }
        tests.append(test)
      }
    }
    guard !tests.isEmpty else {
      throw node.error(
        "'behavioural' names no test: add 'invariance:', 'directionality:' or 'minimum_functionality:' with a list of tests"
      )
    }
    return BehaviouralConfig(tests: tests, space: space)
  }

  private func parseTest(_ node: ConfigNode, kind: BehaviouralKind) throws(SuiteError)
    -> BehaviouralTest
  {
    var values: [Key: ConfigNode] = [:]
    for entry in try node.entries(Key.self, what: "a \(kind.rawValue) test") {
      values[entry.key] = entry.value
    }
    func refuse(_ key: Key, _ why: String) throws(SuiteError) {
      if let found = values[key] { throw found.error("'\(key.rawValue)' \(why)") }
    }
    guard let nameNode = values[.name] else {
      throw node.error("a \(kind.rawValue) test needs 'name:' saying what must hold")
    }
    let name = try nameNode.nonEmptyString()
    guard let task = outline.task else { throw node.error("behavioural tests need 'task:'") }
    let perturbation = try values[.perturb].map { (node) throws(SuiteError) in
      try PerturbationParser(space: space).parse(node)
    }
    var rows = try dataRows(values, node: node)
    let expectation: BehaviouralExpectation
    switch kind {
    case .minimumFunctionality:
      try refuse(.tolerance, "applies to invariance and directionality tests")
      try refuse(.class, "applies to directionality tests (write the class in 'expect')")
      if let casesNode = values[.cases] {
        try refuse(.data, "and 'cases' are alternatives: the cases come from one or the other")
        try refuse(.sample, "applies to rows of the data, not to hand-made cases")
        try refuse(.perturb, "applies to rows of the data: 'cases' are used as written")
        rows = .cases(
          try CaseReader(space: space, outline: outline).read(
            casesNode, expectColumn: values[.expectColumn]))
      } else {
        guard perturbation != nil else {
          throw node.error(
            "a minimum_functionality test needs 'cases:' (a file or a list of rows), or 'data:' with 'perturb:' that makes the cases"
          )
        }
        try refuse(.expectColumn, "needs 'cases:' from a file")
      }
      if values[.expectColumn] != nil {
        try refuse(.expect, "and 'expect_column' are alternatives")
        expectation = .perCase
      } else {
        guard let expectNode = values[.expect] else {
          throw node.error(
            "a minimum_functionality test needs 'expect:' (a label, { not: … }, { probability: … } or { range: … }) or 'expect_column'"
          )
        }
        expectation = try parseCaseExpectation(expectNode, task: task)
      }
    case .invariance:
      try refuse(.cases, "applies to minimum_functionality tests")
      try refuse(.expect, "applies to directionality and minimum_functionality tests")
      try refuse(.expectColumn, "applies to minimum_functionality tests")
      try refuse(.class, "applies to directionality tests")
      guard perturbation != nil else {
        throw node.error("an invariance test needs 'perturb:' (the change that must not matter)")
      }
      let tolerance = try values[.tolerance].map { (node) throws(SuiteError) in
        try nonNegative(node)
      }
      if task == .regression, tolerance == nil {
        throw node.error(
          "an invariance test of a regression model needs 'tolerance:' (how far the value may move)"
        )
      }
      expectation = .invariant(tolerance: tolerance)
    case .directionality:
      try refuse(.cases, "applies to minimum_functionality tests")
      try refuse(.expectColumn, "applies to minimum_functionality tests")
      guard perturbation != nil else {
        throw node.error(
          "a directionality test needs 'perturb:' (the change that must move the answer)")
      }
      guard let expectNode = values[.expect] else {
        throw node.error(
          "a directionality test needs 'expect:' (\(Monotonicity.allCases.map(\.rawValue).joined(separator: ", ")))"
        )
      }
      let text = try expectNode.string()
      guard let direction = Monotonicity(rawValue: text) else {
        throw expectNode.error(
          "'expect' is one of \(Monotonicity.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'"
        )
      }
      var className = try values[.class].map { (node) throws(SuiteError) in
        try node.nonEmptyString()
      }
      switch task {
      case .regression:
        try refuse(.class, "does not apply to a regression model (its value moves)")
      case .binaryClassification:
        className = className ?? outline.positive
        if className == nil {
          throw node.error(
            "a directionality test needs 'class:' (whose probability moves) or the suite's 'positive:'"
          )
        }
      case .multiclass:
        if className == nil {
          throw node.error("a directionality test of a multiclass model needs 'class:'")
        }
      }
      let tolerance = try values[.tolerance].map { (node) throws(SuiteError) in
        try nonNegative(node)
      }
      expectation = .direction(direction, className: className, tolerance: tolerance ?? 0)
    }
    var maxFailureRate = 0.0
    if let rateNode = values[.maxFailureRate] {
      maxFailureRate = try rateNode.double()
      guard (0..<1).contains(maxFailureRate) else {
        throw rateNode.error(
          "'max_failure_rate' is a share of the tested rows in [0, 1), found \(maxFailureRate)")
      }
    }
    let decideOn = try values[.decideOn]?.decisionRule() ?? .estimate
    let minRows = try values[.minRows].map { (node) throws(SuiteError) in
      try node.int(in: 1...1_000_000)
    }
    return BehaviouralTest(
      kind: kind, name: name, rows: rows, perturbation: perturbation, expectation: expectation,
      maxFailureRate: maxFailureRate, minRows: minRows ?? 20, decideOn: decideOn)
  }

  private func dataRows(_ values: [Key: ConfigNode], node: ConfigNode) throws(SuiteError)
    -> BehaviouralRows
  {
    let role = try values[.data]?.dataRole() ?? .test
    if values[.cases] == nil, outline.data.file(role) == nil {
      throw (values[.data] ?? node).error(
        "the suite has no \(role.rawValue) data to take rows from: add 'data: { \(role.rawValue): … }'"
      )
    }
    var sample: Int? = BehaviouralConfigParser.defaultSample
    if let sampleNode = values[.sample] {
      sample = try sampleNode.string() == "all" ? nil : try sampleNode.int(in: 1...100_000_000)
    }
    return .data(role, sample: sample)
  }

  private func parseCaseExpectation(_ node: ConfigNode, task: TaskKind) throws(SuiteError)
    -> BehaviouralExpectation
  {
    guard node.isMapping else {
      guard task != .regression else {
        throw node.error("a regression model's cases expect '{ range: [low, high] }'")
      }
      return .label(try node.nonEmptyString())
    }
    let entries = try node.entries(ExpectKey.self, what: "'expect'")
    guard entries.count == 1, let entry = entries.first else {
      throw node.error("'expect' takes one of 'not', 'probability' or 'range'")
    }
    switch entry.key {
    case .not:
      guard task != .regression else { throw entry.keyNode.error("'not' needs a classifier") }
      return .notLabel(try entry.value.nonEmptyString())
    case .range:
      guard task == .regression else {
        throw entry.keyNode.error("'range' applies to regression models; expect a label")
      }
      let bounds = try entry.value.sequence()
      guard bounds.count == 2 else { throw entry.value.error("'range' takes [low, high]") }
      let low = try bounds[0].double()
      let high = try bounds[1].double()
      guard low <= high else { throw entry.value.error("'range' needs low ≤ high") }
      return .range(low, high)
    case .probability:
      guard task != .regression else {
        throw entry.keyNode.error("'probability' needs a classifier")
      }
      let classes = try entry.value.mapping(what: "'probability'")
      guard classes.count == 1, let only = classes.first else {
        throw entry.value.error("'probability' takes one class: { Risk: [0.3, upper] }")
      }
      let bound = try only.value.sequence()
      guard bound.count == 2, let side = Direction(rawValue: try bound[1].string()) else {
        throw only.value.error("a probability bound is [value, lower] or [value, upper]")
      }
      let value = try bound[0].double()
      guard (0...1).contains(value) else {
        throw bound[0].error("a probability bound lies in [0, 1], found \(value)")
      }
      return .probability(className: only.key, bound: value, side: side)
    }
  }

  private func nonNegative(_ node: ConfigNode) throws(SuiteError) -> Double {
    let value = try node.double()
    guard value >= 0 else {
      throw node.error("'\(node.keyName)' must be 0 or more, found \(value)")
    }
    return value
  }
}
