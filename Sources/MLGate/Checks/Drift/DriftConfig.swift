/// `tests: drift:` — reference data against current data, feature by feature.
package struct DriftConfig: Sendable {
  /// A data file: a role of the suite's data, or a file of its own (a payload log).
  package enum Source: Sendable, Hashable {
    /// `test` or `reference`.
    case role(DataRole)
    /// A file (absolute) and its name as written.
    case file(path: String, display: String)
  }

  /// How a feature's drift is tested beside PSI.
  package enum Method: String, Sendable, CaseIterable {
    /// Tests (KS, χ²) for references up to 1,000 rows, distances above (Evidently's rule).
    case auto
    /// Kolmogorov–Smirnov (numeric) and χ² (categorical), Holm-adjusted across features.
    case test
    /// Normalised Wasserstein (numeric) and Jensen–Shannon distance (categorical).
    case distance
  }

  /// The data drift is measured from.
  package var reference: Source = .role(.reference)
  /// The data that may have drifted.
  package var current: Source = .role(.test)
  /// The features compared (nil: every column of the reference but the label and dropped ones).
  package var features: [String]
  /// PSI at or above this warns.
  package var psiWarn = 0.1
  /// PSI at or above this fails.
  package var psiFail = 0.25
  /// The test or distance beside PSI.
  package var method = Method.auto
  /// Family-wise level of the tests (Holm across features).
  package var alpha = 0.05
  /// A distance at or above this is drift.
  package var distanceThreshold = 0.1
  /// The dataset drifts when this share of features (or more) drift.
  package var maxDriftedShare = 0.5
  /// Fewer current rows make every drift test inconclusive.
  package var minRows = 100
  /// Values kept per feature and file for KS and Wasserstein (a seeded sample beyond).
  package var sample = 10_000
  /// Whether the candidate's predictions on both files are compared too.
  package var prediction = false
  /// Where the section is written.
  package var position: SourcePosition

  /// Whether the tests (rather than the distances) decide, for a reference of `referenceRows`.
  func usesTests(referenceRows: Int) -> Bool {
    switch method {
    case .auto: return referenceRows <= 1_000
    case .test: return true
    case .distance: return false
    }
  }
}
