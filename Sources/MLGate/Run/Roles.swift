/// The part a model plays in a run.
package enum ModelRole: String, Sendable, CaseIterable, Hashable {
  /// The model under test (`model:` in the suite).
  case candidate
  /// The model in production, for comparisons (`baseline:` in the suite).
  case baseline

  /// The suite key that configures the role.
  package var suiteKey: String {
    switch self {
    case .candidate: return "model"
    case .baseline: return "baseline"
    }
  }

  /// The prefix of the role's report properties (`model.digest`, `baseline.digest`).
  package var propertyPrefix: String { suiteKey }
}

/// The part a data file plays in a run.
package enum DataRole: String, Sendable, CaseIterable, Hashable {
  /// Labelled evaluation data (`data.test`).
  case test
  /// Reference (training) data (`data.reference`): schema, drift baseline, perturbation domains.
  case reference
}
