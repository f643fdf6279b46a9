/// Training–serving consistency: the endpoint's predictions equal those of the artifact it was
/// built from, served locally, on a seeded sample of the test data — catching the wrong model
/// deployed or a skewed preprocessing step.
struct EndpointConsistencyCheck: Check {
  let config: EndpointIntegration
  let consistency: EndpointIntegration.Consistency

  var category: CategoryName { .integration }

  var name: String {
    "endpoint predictions equal the artifact's (tolerance \(TextFormat.significant(consistency.tolerance)))"
  }

  func run(_ context: RunContext) async throws -> CheckReport {
    guard let space = config.space else {
      let message = "no test data to compare on (data: { test: … })"
      return CheckReport(outcome: .skipped(message: message, inconclusive: false), summary: message)
    }
    let rows = try await SampledRows.get(
      context, role: .test, sample: consistency.sample, space: space)
    let served = try await context.predict(
      rows.features, featureNames: space.names, what: "the rows compared with the artifact")
    let reference = try context.makeModel(consistency.reference)
    let local: Predictions
    do {
      local = try await RowScoring.predict(
        rows.features, featureNames: space.names, model: reference,
        batchSize: consistency.reference.batch, what: "the rows compared with the endpoint")
      await reference.shutdown()
    } catch {
      await reference.shutdown()
      throw error
    }
    let comparison = PredictionComparison(
      served: served, local: local, tolerance: consistency.tolerance, lines: rows.lines)
    var lines = [
      "\(rows.features.count) rows of \(rows.file) (seeded sample), endpoint \(EndpointModel.display(config.endpoint.url)) against \(reference.displayName)",
      "\(comparison.mismatches.count) row\(comparison.mismatches.count == 1 ? "" : "s") differ (\(TextFormat.percent(comparison.rate)), allowed \(TextFormat.percent(consistency.maxMismatchRate))); labels differ on \(comparison.labelDifferences); largest difference \(TextFormat.significant(comparison.largest))",
    ]
    lines += comparison.mismatches.prefix(3).map { "line \($0.line): \($0.text)" }
    let summary = lines.joined(separator: "\n")
    guard comparison.rate <= consistency.maxMismatchRate else {
      let worst = comparison.mismatches.first.map { "; first at line \($0.line): \($0.text)" } ?? ""
      let message =
        "the endpoint disagrees with the artifact on \(comparison.mismatches.count) of \(rows.features.count) rows (\(TextFormat.percent(comparison.rate)); the label differs on \(comparison.labelDifferences), the largest difference is \(TextFormat.significant(comparison.largest)))\(worst): the wrong model deployed, or preprocessing that differs?"
      return CheckReport(outcome: .failed(message: message, details: summary), summary: summary)
    }
    return CheckReport(outcome: .passed, summary: summary)
  }
}

/// Row-by-row differences between two models' predictions on the same rows.
struct PredictionComparison {
  /// A row that differs.
  struct Mismatch {
    var line: Int
    var text: String
  }

  var mismatches: [Mismatch] = []
  var labelDifferences = 0
  /// The largest probability (or value) difference.
  var largest = 0.0
  var rate: Double

  init(served: Predictions, local: Predictions, tolerance: Double, lines: [Int]) {
    let n = min(served.values.count, local.values.count)
    // Probability columns matched by class name when both models name their classes.
    var columns: [(Int, Int)] = []
    if let a = served.classes, let b = local.classes {
      for (i, name) in a.enumerated() {
        if let j = b.firstIndex(of: name) { columns.append((i, j)) }
      }
    } else if let a = served.probabilities?.first?.count, a == local.probabilities?.first?.count {
      columns = (0..<a).map { ($0, $0) }
    }
    for row in 0..<n {
      let left = served.values[row]
      let right = local.values[row]
      var difference = 0.0
      if case .number(let x) = left, case .number(let y) = right {
        difference = abs(x - y)
      }
      if let p = served.probabilities?[row], let q = local.probabilities?[row] {
        for (i, j) in columns where i < p.count && j < q.count {
          difference = max(difference, abs(p[i] - q[j]))
        }
      }
      largest = max(largest, difference)
      let sameLabel = left.labelText == right.labelText
      if !sameLabel { labelDifferences += 1 }
      if !sameLabel || difference > tolerance {
        let shownLeft = left.labelText ?? "missing"
        let shownRight = right.labelText ?? "missing"
        mismatches.append(
          Mismatch(
            line: row < lines.count ? lines[row] : row + 1,
            text:
              "endpoint \(shownLeft), artifact \(shownRight) (difference \(TextFormat.significant(difference)))"
          ))
      }
    }
    if served.values.count != local.values.count {
      mismatches.append(
        Mismatch(
          line: 0,
          text:
            "the endpoint gave \(served.values.count) predictions, the artifact \(local.values.count)"
        ))
    }
    rate = n > 0 ? Double(mismatches.count) / Double(n) : 1
  }
}
