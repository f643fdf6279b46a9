/// Reads one row's answer as a behavioural test needs it: the label, a class's probability,
/// the regression value.
struct AnswerReader {
  let predictions: Predictions
  /// Class names in probability order (the model's, else the suite's `classes`).
  let classes: [String]?

  init(_ predictions: Predictions, fallbackClasses: [String]?) {
    self.predictions = predictions
    classes = predictions.classes ?? fallbackClasses
  }

  /// The predicted label of row `row`.
  func label(_ row: Int) -> String { predictions.values[row].labelText ?? "(missing)" }

  /// The regression value of row `row`.
  func value(_ row: Int) -> Double? {
    if case .number(let number) = predictions.values[row] { return number }
    return nil
  }

  /// The probability of `className` for row `row`, when the model gives probabilities.
  func probability(_ className: String, _ row: Int) -> Double? {
    guard let probabilities = predictions.probabilities, let classes,
      let index = classes.firstIndex(of: className), index < probabilities[row].count
    else { return nil }
    return probabilities[row][index]
  }

  /// The probabilities of row `row`, if any.
  func probabilities(_ row: Int) -> [Double]? { predictions.probabilities?[row] }

  /// A short text of the answer: the label with the probability of `focus` (or of the label).
  func describe(_ row: Int, focus: String? = nil) -> String {
    if classes == nil, predictions.probabilities == nil, let value = value(row),
      predictions.values[row].labelText == nil || focus == nil
    {
      return TextFormat.figure(value)
    }
    let shown = focus ?? label(row)
    if let p = probability(shown, row) {
      return "\(label(row)) (P(\(shown)) \(TextFormat.figure(p)))"
    }
    return label(row)
  }
}

/// Whether one case or variant meets its expectation, and by how far it misses.
struct Judgement {
  /// Whether it fails.
  var fails: Bool
  /// How badly (larger is worse): orders the worst examples.
  var severity: Double
}

/// Judges answers against a test's expectation.
struct BehaviouralJudge {
  let expectation: BehaviouralExpectation
  let task: TaskKind

  /// The failure, if any, of a hand-made case whose answer is row `row` of `answers`.
  func judgeCase(_ answers: AnswerReader, _ row: Int, expected: String?) throws(ScoringError)
    -> Judgement
  {
    switch expectation {
    case .label(let label):
      return labelJudgement(answers, row, expected: label)
    case .perCase:
      return labelJudgement(answers, row, expected: expected ?? "")
    case .notLabel(let label):
      let fails = answers.label(row) == label
      return Judgement(fails: fails, severity: answers.probability(label, row) ?? (fails ? 1 : 0))
    case .probability(let className, let bound, let side):
      guard let p = answers.probability(className, row) else {
        throw .suite(
          "the test bounds the probability of '\(className)', but the model's answers give no probability for it (classes: \(answers.classes?.joined(separator: ", ") ?? "none"))"
        )
      }
      let miss = side == .lower ? bound - p : p - bound
      return Judgement(fails: miss > 0, severity: miss)
    case .range(let low, let high):
      guard let value = answers.value(row) else {
        return Judgement(fails: true, severity: .infinity)
      }
      let miss = max(low - value, value - high)
      return Judgement(fails: miss > 0, severity: miss)
    case .invariant, .direction:
      return Judgement(fails: false, severity: 0)
    }
  }

  private func labelJudgement(_ answers: AnswerReader, _ row: Int, expected: String) -> Judgement {
    let fails = answers.label(row) != expected
    let p = answers.probability(expected, row)
    return Judgement(fails: fails, severity: fails ? 1 - (p ?? 0) : 0)
  }

  /// The failure, if any, of a variant (row `after` of `changed`) of an original row (row
  /// `before` of `original`).
  func judgeChange(
    _ original: AnswerReader, _ before: Int, _ changed: AnswerReader, _ after: Int
  ) throws(ScoringError) -> Judgement {
    switch expectation {
    case .invariant(let tolerance):
      if task == .regression {
        guard let old = original.value(before), let new = changed.value(after) else {
          return Judgement(fails: true, severity: .infinity)
        }
        let moved = abs(new - old)
        return Judgement(fails: moved > (tolerance ?? 0), severity: moved)
      }
      var moved = 0.0
      if let old = original.probabilities(before), let new = changed.probabilities(after),
        old.count == new.count
      {
        moved = zip(old, new).map { abs($0 - $1) }.max() ?? 0
      }
      let flipped = original.label(before) != changed.label(after)
      let fails = flipped || (tolerance.map { moved > $0 } ?? false)
      return Judgement(fails: fails, severity: (flipped ? 1 : 0) + moved)
    case .direction(let direction, let className, let tolerance):
      guard let old = try score(original, before, className),
        let new = try score(changed, after, className)
      else { return Judgement(fails: true, severity: .infinity) }
      let delta = new - old
      let holds = direction.holds(delta, tolerance: tolerance)
      let miss: Double
      switch direction {
      case .increasing, .notDecreasing: miss = -delta
      case .decreasing, .notIncreasing: miss = delta
      }
      return Judgement(fails: !holds, severity: miss)
    case .label, .notLabel, .probability, .range, .perCase:
      return Judgement(fails: false, severity: 0)
    }
  }

  /// The score a directional test follows: the class's probability (its 0/1 indicator when
  /// the model gives labels only), or the regression value.
  private func score(_ answers: AnswerReader, _ row: Int, _ className: String?)
    throws(ScoringError) -> Double?
  {
    guard let className else { return answers.value(row) }
    if let p = answers.probability(className, row) { return p }
    if answers.predictions.probabilities != nil {
      throw .suite(
        "the test follows the probability of '\(className)', but the model's classes are \(answers.classes?.joined(separator: ", ") ?? "not given")"
      )
    }
    return answers.label(row) == className ? 1 : 0
  }
}
