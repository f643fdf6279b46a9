/// `tests: adversarial:` — black-box attacks: how easily a small, realistic change of an input
/// flips the model's decision, within a query budget.
package struct AdversarialConfig: Sendable {
  /// The attacks, in suite order.
  package var attacks: [AttackSpec]
  /// The features' constraints every candidate is projected onto.
  package var space: FeatureSpace
}

/// The attacks mlgate runs.
package enum AttackKind: String, Sendable, CaseIterable {
  /// Random points in the ε box around each row: the floor any model should clear.
  case noise
  /// Greedy coordinate search on the model's probabilities: the change that lowers the true
  /// class's margin most, one feature at a time, at most `max_changed` features.
  case greedy
  /// HopSkipJump: a boundary walk that needs only the predicted labels.
  case hopSkipJump = "hop_skip_jump"

  /// What the attack needs from the model's answers.
  package var needsProbabilities: Bool { self == .greedy }
}

/// One attack: a JUnit test case.
package struct AttackSpec: Sendable {
  /// The attack.
  package var kind: AttackKind
  /// The test's name.
  package var name: String
  /// The largest change of each numeric feature, in units of its spread (L∞).
  package var epsilon: Double
  /// The ε values robust accuracy is reported at (each ≤ `epsilon`).
  package var grid: [Double]
  /// Positions of the features an attack may change.
  package var mutable: [Int]
  /// The most features one candidate may change (greedy).
  package var maxChanged: Int
  /// Correctly classified rows attacked (a seeded sample, stratified by class).
  package var rows: Int
  /// Rows of the data the attacked ones are drawn from.
  package var data: DataRole
  /// Random candidates per row (noise).
  package var tries: Int
  /// Gradient-estimate iterations per row (HopSkipJump).
  package var iterations: Int
  /// Queries one row may cost.
  package var maxQueries: Int
  /// Queries the whole attack may cost.
  package var totalQueries: Int
  /// The gate: the largest share of attacked rows an attack may flip.
  package var maxSuccessRate: Double?
  /// Or the gate: the smallest robust accuracy at `epsilon`.
  package var minRobustAccuracy: Double?
  /// Fewer attacked rows than this is inconclusive.
  package var minRows: Int
  /// Whether the point estimate or the whole interval decides.
  package var decideOn: DecisionRule

  /// The seed stream of its random choices.
  package var stream: String { "adversarial/\(kind.rawValue)/\(name)" }
}
