/// `tests: behavioural:` — CheckList's three test types over tabular (and text) features.
package struct BehaviouralConfig: Sendable {
  /// The tests, in suite order.
  package var tests: [BehaviouralTest]
  /// The features' constraints every perturbation keeps.
  package var space: FeatureSpace
}

/// CheckList's test types.
package enum BehaviouralKind: String, Sendable, CaseIterable {
  /// Cases with known answers (MFT).
  case minimumFunctionality = "minimum_functionality"
  /// A change that must not change the answer (INV).
  case invariance
  /// A change that must move the answer one way (DIR).
  case directionality

  /// CheckList's abbreviation, for test names.
  package var abbreviation: String {
    switch self {
    case .minimumFunctionality: return "MFT"
    case .invariance: return "INV"
    case .directionality: return "DIR"
    }
  }
}

/// One behavioural test: a JUnit test case.
package struct BehaviouralTest: Sendable {
  /// The test type.
  package var kind: BehaviouralKind
  /// The suite's name for it ("sex does not change the decision").
  package var name: String
  /// The rows it starts from.
  package var rows: BehaviouralRows
  /// The change applied to each row (invariance and directionality; generated MFT cases).
  package var perturbation: Perturbation?
  /// What must hold for each case.
  package var expectation: BehaviouralExpectation
  /// The largest share of tested rows allowed to fail.
  package var maxFailureRate: Double
  /// Fewer tested rows than this is inconclusive.
  package var minRows: Int
  /// Whether the point estimate or the whole interval decides.
  package var decideOn: DecisionRule
  /// The seed stream of its random choices (sampling aside): the test's kind and name.
  package var stream: String { "behavioural/\(kind.rawValue)/\(name)" }
}

/// Where a test's rows come from.
package enum BehaviouralRows: Sendable {
  /// Rows of the suite's data: all of them, or a seeded sample of `sample` rows.
  case data(DataRole, sample: Int?)
  /// Hand-made cases, read when the suite is loaded.
  case cases(CaseSet)
}

/// Hand-made cases: rows aligned with the feature space, from a file or the suite itself.
package struct CaseSet: Sendable {
  /// Where they come from, for messages ("mft-safe.csv", "the suite").
  package var origin: String
  /// The feature values of each case.
  package var rows: [[DataValue]]
  /// The file line (or suite line) of each case.
  package var lines: [Int]
  /// Each case's expected label, when the cases carry one (`expect_column`).
  package var expected: [String]?
}

/// What must hold for one case (MFT) or between a row and its variants (INV, DIR).
package enum BehaviouralExpectation: Sendable, Equatable {
  /// The predicted label is this one.
  case label(String)
  /// The predicted label is not this one.
  case notLabel(String)
  /// The probability of a class meets a bound.
  case probability(className: String, bound: Double, side: Direction)
  /// A regression value lies in a range (inclusive).
  case range(Double, Double)
  /// The predicted label is each case's own expected one.
  case perCase
  /// The label does not change and no probability (or value) moves more than `tolerance`.
  case invariant(tolerance: Double?)
  /// The score of a class (or the value) moves the stated way; moves within `tolerance` are ties.
  case direction(Monotonicity, className: String?, tolerance: Double)
}

/// The ways a directional expectation can go.
package enum Monotonicity: String, Sendable, CaseIterable {
  /// Goes up by more than the tolerance.
  case increasing
  /// Goes down by more than the tolerance.
  case decreasing
  /// Does not go down by more than the tolerance.
  case notDecreasing = "not_decreasing"
  /// Does not go up by more than the tolerance.
  case notIncreasing = "not_increasing"

  /// Whether a move of `delta` meets the expectation.
  package func holds(_ delta: Double, tolerance: Double) -> Bool {
    switch self {
    case .increasing: return delta > tolerance
    case .decreasing: return delta < -tolerance
    case .notDecreasing: return delta >= -tolerance
    case .notIncreasing: return delta <= tolerance
    }
  }

  /// The phrase for test names and messages.
  package var phrase: String { rawValue.split(separator: "_").joined(separator: " ") }
}
