/// One behavioural test as a JUnit test case: its cases or perturbed rows are scored, each is
/// judged against the expectation, and the failure rate (Wilson interval) meets the bound.
struct BehaviouralCheck: Check {
  let test: BehaviouralTest
  let space: FeatureSpace

  var category: CategoryName { .behavioural }

  var name: String { "\(test.kind.abbreviation): \(test.name)" }

  func run(_ context: RunContext) async throws -> CheckReport {
    let suite = context.suite
    guard let task = suite.task else { throw ScoringError.suite("the suite has no 'task'") }
    let judge = BehaviouralJudge(expectation: test.expectation, task: task)
    let classes = suite.model?.classes
    var tally = FailureTally()
    switch test.rows {
    case .cases(let cases):
      let answers = AnswerReader(
        try await context.predict(
          cases.rows, featureNames: space.names, what: "the cases of '\(test.name)'"),
        fallbackClasses: classes)
      for row in cases.rows.indices {
        let expected = cases.expected?[row]
        let judgement = try judge.judgeCase(answers, row, expected: expected)
        tally.add(fails: judgement.fails, severity: judgement.severity) {
          "line \(cases.lines[row]) of \(cases.origin): \(answers.describe(row, focus: expected ?? focus)), expected \(expectationText(expected))"
        }
      }
      tally.variants = cases.rows.count
    case .data(let role, let sample):
      let base = try await SampledRows.get(context, role: role, sample: sample, space: space)
      let perturbation = test.perturbation ?? Perturbation(steps: [])
      let made = await context.compute { [space, stream = test.stream] in
        var random = SeededRandom(seed: suite.seed, stream: stream)
        var variants: [[DataValue]] = []
        var owners: [Int] = []
        for (row, values) in base.features.enumerated() {
          for variant in perturbation.variants(of: values, in: space, random: &random) {
            variants.append(variant)
            owners.append(row)
          }
        }
        return (variants, owners)
      }
      let (variants, owners) = made
      let changed = AnswerReader(
        try await context.predict(
          variants, featureNames: space.names, what: "the perturbed rows of '\(test.name)'"),
        fallbackClasses: classes)
      var original: AnswerReader?
      if test.kind != .minimumFunctionality {
        original = AnswerReader(
          try await base.predictions(context, role: role, sample: sample, names: space.names),
          fallbackClasses: classes)
      }
      tally.variants = variants.count
      var start = 0
      for row in base.features.indices {
        var end = start
        while end < owners.count, owners[end] == row { end += 1 }
        defer { start = end }
        guard end > start else {
          tally.unchanged += 1
          continue
        }
        var worst: (Judgement, Int)?
        for variant in start..<end {
          let judgement =
            if let original {
              try judge.judgeChange(original, row, changed, variant)
            } else {
              try judge.judgeCase(changed, variant, expected: nil)
            }
          if judgement.fails, worst.map({ judgement.severity > $0.0.severity }) ?? true {
            worst = (judgement, variant)
          }
        }
        tally.add(fails: worst != nil, severity: worst?.0.severity ?? 0) {
          let variant = worst?.1 ?? start
          let change = RowChange.describe(base.features[row], variants[variant], names: space.names)
          // Both sides show the same class: the one the test follows, else the original label.
          let shown = focus ?? original?.label(row)
          let before = original.map { "\($0.describe(row, focus: shown)) → " } ?? ""
          return
            "line \(base.lines[row]) of \(base.file): \(change): \(before)\(changed.describe(variant, focus: shown))"
        }
      }
    }
    return tally.report(test, describing: description)
  }

  /// The class whose probability the examples show.
  private var focus: String? {
    switch test.expectation {
    case .label(let label), .notLabel(let label): return label
    case .probability(let className, _, _): return className
    case .direction(_, let className, _): return className
    case .range, .perCase, .invariant: return nil
    }
  }

  private func expectationText(_ expected: String?) -> String {
    switch test.expectation {
    case .label(let label): return label
    case .perCase: return expected ?? ""
    case .notLabel(let label): return "not \(label)"
    case .probability(let className, let bound, let side):
      return "P(\(className)) \(side == .lower ? "≥" : "≤") \(QualityCheck.bound(bound))"
    case .range(let low, let high):
      return "a value in [\(TextFormat.figure(low)), \(TextFormat.figure(high))]"
    case .invariant: return "the same answer"
    case .direction(let direction, let className, _):
      return "\(className.map { "P(\($0))" } ?? "the value") \(direction.phrase)"
    }
  }

  /// The test in one line: rows, change and expectation.
  private var description: String {
    var parts: [String] = []
    switch test.rows {
    case .cases(let cases): parts.append("\(cases.rows.count) cases from \(cases.origin)")
    case .data(let role, let sample):
      parts.append(
        "rows of the \(role.rawValue) data\(sample.map { " (a seeded sample of at most \($0))" } ?? "")"
      )
    }
    if let perturbation = test.perturbation {
      parts.append("changed by: \(RowChange.describe(perturbation, names: space.names))")
    }
    switch test.expectation {
    case .invariant(let tolerance):
      parts.append(
        "expected: the same label\(tolerance.map { ", no probability or value moving more than \(TextFormat.scientific($0))" } ?? "")"
      )
    case .direction(_, _, let tolerance):
      parts.append(
        "expected: \(expectationText(nil))\(tolerance > 0 ? " (moves within \(TextFormat.scientific(tolerance)) count as ties)" : "")"
      )
    default:
      parts.append("expected: \(expectationText(nil))")
    }
    return parts.joined(separator: "; ")
  }
}

/// Texts of row changes for reports.
enum RowChange {
  /// The columns that differ between `before` and `after`: "Sex male → female".
  static func describe(_ before: [DataValue], _ after: [DataValue], names: [String]) -> String {
    let changed = before.indices.filter { before[$0] != after[$0] }
    var parts = changed.prefix(4).map {
      "\(names[$0]) \(text(before[$0])) → \(text(after[$0]))"
    }
    if changed.count > 4 { parts.append("\(changed.count - 4) more") }
    return parts.joined(separator: ", ")
  }

  /// A perturbation's steps in words.
  static func describe(_ perturbation: Perturbation, names: [String]) -> String {
    perturbation.steps.map { step in
      switch step {
      case .set(let assignments):
        return "set "
          + assignments.map { "\(names[$0.column]) = \(text($0.value))" }.joined(separator: ", ")
      case .swap(let column, let first, let second):
        return "swap \(names[column]) \(text(first)) ↔ \(text(second))"
      case .eachValue(let column, let values):
        return "each of the \(values.count) values of \(names[column])"
      case .shift(let column, let amount):
        return "shift \(names[column]) by \(TextFormat.scientific(amount))"
      case .scale(let column, let factor):
        return "scale \(names[column]) ×\(TextFormat.scientific(factor))"
      case .noise(let columns, let size, let unit):
        let unitText = unit == .absolute ? "" : unit == .spread ? " × spread" : " × |value|"
        return
          "uniform noise ±\(TextFormat.scientific(size))\(unitText) on \(columns.map { names[$0] }.joined(separator: ", "))"
      case .text(let column, let change):
        return "\(change.rawValue) in \(names[column])"
      }
    }.joined(separator: ", then ")
  }

  static func text(_ value: DataValue) -> String { value.labelText ?? "(missing)" }
}
