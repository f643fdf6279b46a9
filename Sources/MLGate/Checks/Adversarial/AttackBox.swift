/// The set of rows an attack may query around an original row.
///
/// Mutable features only, each
/// numeric one within ε spreads of its original value and inside its bounds (integers whole),
/// each categorical one inside its domain. Every candidate is projected onto it before it is
/// queried, so a success always counts on a realistic row.
struct AttackBox {
  let space: FeatureSpace
  let epsilon: Double

  /// Numeric feature `column` moved to `target`, projected: within ε spreads of `original`,
  /// inside the feature's bounds, whole for an integer (moving by the whole part).
  func project(_ target: Double, column: Int, original: Double) -> Double {
    let feature = space.features[column]
    let reach = epsilon * (feature.spread ?? 0)
    let boxed = min(max(target, original - reach), original + reach)
    return feature.project(boxed, from: original)
  }

  /// The L∞ distance in spread units over numeric features, and the number of changed features.
  func distance(from original: [DataValue], to changed: [DataValue]) -> (lInf: Double, l0: Int) {
    var lInf = 0.0
    var l0 = 0
    for column in original.indices where original[column] != changed[column] {
      l0 += 1
      if case .number(let a) = original[column], case .number(let b) = changed[column],
        let spread = space.features[column].spread, spread > 0
      {
        lInf = max(lInf, abs(b - a) / spread)
      }
    }
    return (lInf, l0)
  }
}
