package import MLGate

#if canImport(Glibc)
  import Glibc
#endif

/// A logistic model in process, whose decision boundary is known exactly.
///
/// P(pos) = σ(bias + Σ weight·feature) over named numeric features, labels `neg` / `pos`. Its decision boundary is known exactly, so attacks can be checked
/// against the true minimal change.
package struct LinearModel: Model {
  /// The weight of each feature by name (features not named weigh 0).
  package var weights: [String: Double]
  /// The intercept.
  package var bias: Double
  /// Whether it answers with labels only, as many deployed endpoints do.
  package var labelsOnly: Bool
  /// Counts the rows it scored.
  package let rowsScored = CallCounter()

  /// Creates a model.
  package init(weights: [String: Double], bias: Double, labelsOnly: Bool = false) {
    self.weights = weights
    self.bias = bias
    self.labelsOnly = labelsOnly
  }

  package var displayName: String { "linear" }

  /// The log-odds of `pos` for `row`, whose values are aligned with `names`.
  package func logit(_ row: [DataValue], names: [String]) -> Double {
    var total = bias
    for (name, value) in zip(names, row) {
      if case .number(let number) = value { total += (weights[name] ?? 0) * number }
    }
    return total
  }

  package func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
    var values: [DataValue] = []
    var probabilities: [[Double]] = []
    for row in batch.rows {
      rowsScored.increment()
      let p = 1 / (1 + exp(-logit(row, names: batch.featureNames)))
      values.append(.string(p >= 0.5 ? "pos" : "neg"))
      probabilities.append([1 - p, p])
    }
    return Predictions(
      values: values, probabilities: labelsOnly ? nil : probabilities,
      classes: labelsOnly ? nil : ["neg", "pos"])
  }

  package func shutdown() async {}
}
