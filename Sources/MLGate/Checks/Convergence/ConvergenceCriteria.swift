/// What "converges" means for one training history: the notes' defaults, each overridable in
/// the suite.
package struct ConvergenceCriteria: Sendable, Hashable {
  /// Points before this epoch (step, round) are warm-up and ignored.
  package var startFrom: Double = 0
  /// Fewer points make the test inconclusive (nil: 5 epochs or rounds, 20 steps).
  package var minPoints: Int?
  /// The smallest relative drop from the first window's median to the last's.
  package var minRelativeDrop: Double = 0.01
  /// How far above the best value the final value may end, relative to the best.
  package var maxFinalAboveBest: Double = 0.10
  /// A value above this multiple of the running average is a spike (a warning).
  package var spikeFactor: Double = 10
  /// Points without improvement at the start that mean "stuck" (nil: max(3, ⌈n/10⌉)).
  package var patience: Int?
  /// An improvement must beat the best by this much (Keras' and Lightning's `min_delta`).
  package var minDelta: Double = 0
  /// … or by this share of the best, whichever is larger.
  package var minDeltaRelative: Double = 1e-3
  /// How far the validation loss may rise above its minimum while training loss falls.
  package var maxValidationRise: Double = 0.10
  /// Whether a validation U-turn fails the test or only warns.
  package var overfitting: Severity = .fail
  /// The largest (validation − training)/training gap before a warning.
  package var maxGap: Double = 0.5
  /// The significance level of the trend tests.
  package var alpha: Double = 0.05

  /// How a finding counts.
  package enum Severity: String, Sendable, Hashable, CaseIterable {
    /// The test fails.
    case fail
    /// The test passes with a warning in its output.
    case warn
  }

  /// Creates the defaults.
  package init() {}
}
