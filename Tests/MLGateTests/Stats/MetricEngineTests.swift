import Foundation
import Testing

@testable import MLGate

/// Metrics against scikit-learn's own values on the fixtures (`ci/expected_metrics.py`).
@Suite struct MetricEngineTests {
  struct Expected {
    var evaluation: Evaluation
    var metrics: [String: Double]
    var bootstrap: [String: (Double, Double)]
  }

  /// Reads `fixtures/<name>/expected/predictions.csv` and `metrics.json`; a name with a slash
  /// names the folder itself (`wine/expected-weak`).
  static func load(_ name: String) throws -> Expected {
    let directory = TestEnvironment.path(
      name.contains("/") ? "fixtures/\(name)" : "fixtures/\(name)/expected")
    let json = try JSONParser.parse(
      Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/metrics.json"))))
    let task = json["task"]?.stringValue ?? ""
    var metrics: [String: Double] = [:]
    if case .object(let members) = json["metrics"] ?? .null {
      for member in members {
        if let value = member.value.numberValue { metrics[member.key] = value }
      }
    }
    var bootstrap: [String: (Double, Double)] = [:]
    if case .object(let members) = json["bootstrap"] ?? .null {
      for member in members {
        if let pair = member.value.arrayValue, pair.count == 2, let lo = pair[0].numberValue,
          let hi = pair[1].numberValue
        {
          bootstrap[member.key] = (lo, hi)
        }
      }
    }
    let table = try TableReader(
      path: directory + "/predictions.csv", displayName: "predictions.csv", missingValues: [""])
    var rows: [[DataValue]] = []
    while let row = try table.next() { rows.append(row.values) }
    let column = { (name: String) -> Int in table.columns.firstIndex(of: name) ?? -1 }
    if task == "regression" {
      func numbers(_ index: Int) -> [Double] {
        rows.map { if case .number(let v) = $0[index] { return v } else { return .nan } }
      }
      return Expected(
        evaluation: .regression(
          RegressionData(truth: numbers(column("y_true")), predicted: numbers(column("y_pred")))),
        metrics: metrics, bootstrap: bootstrap)
    }
    let classes = (json["classes"]?.arrayValue ?? []).compactMap(\.stringValue)
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    let probabilityColumns = classes.map { column("p_\($0)") }
    var probabilities: [Double] = []
    for row in rows {
      for c in probabilityColumns {
        if case .number(let v) = row[c] {
          probabilities.append(v)
        } else {
          probabilities.append(.nan)
        }
      }
    }
    let positive = json["positive"]?.stringValue.flatMap { index[$0] }
    let data = ClassificationData(
      classes: classes, truth: rows.map { index[$0[column("y_true")].labelText ?? ""] ?? -1 },
      predicted: rows.map { index[$0[column("y_pred")].labelText ?? ""] ?? -1 },
      probabilities: probabilities,
      positive: positive)
    return Expected(evaluation: .classification(data), metrics: metrics, bootstrap: bootstrap)
  }

  @Test(
    "every metric equals scikit-learn's to 1e-9",
    arguments: ["credit", "breast_cancer", "wine", "diabetes"])
  func metricsMatchScikitLearn(fixture: String) throws {
    let expected = try Self.load(fixture)
    let engine = MetricEngine(expected.evaluation)
    #expect(expected.metrics.count >= 6)
    for (name, value) in expected.metrics.sorted(by: { $0.key < $1.key }) {
      let metric = try #require(Metric.named(name), "unknown metric \(name) in \(fixture)")
      let ours = engine.value(metric)
      #expect(abs(ours - value) <= 1e-9, "\(fixture) \(name): ours \(ours), scikit-learn \(value)")
    }
  }

  @Test(
    "bootstrap intervals are close to scipy's percentile bootstrap",
    arguments: ["credit", "breast_cancer", "wine", "diabetes"])
  func bootstrapMatchesScipy(fixture: String) throws {
    let expected = try Self.load(fixture)
    let engine = MetricEngine(expected.evaluation)
    #expect(!expected.bootstrap.isEmpty)
    let metrics = expected.bootstrap.keys.compactMap(Metric.named)
    let ours = Bootstrap(resamples: 2000, level: 0.95, seed: 7).intervals(metrics, engine: engine)
    for (name, scipy) in expected.bootstrap {
      let metric = try #require(Metric.named(name))
      let interval = try #require(ours[metric])
      let width = scipy.1 - scipy.0
      // Two Monte Carlo estimates of the same interval (different RNGs, 2 000 vs 9 999 draws):
      // each end within 15 % of the interval's width.
      #expect(
        abs(interval.lower - scipy.0) <= 0.15 * width,
        "\(fixture) \(name) lower \(interval.lower) vs \(scipy.0)")
      #expect(
        abs(interval.upper - scipy.1) <= 0.15 * width,
        "\(fixture) \(name) upper \(interval.upper) vs \(scipy.1)")
    }
  }

  @Test("per-class figures equal scikit-learn's", arguments: ["wine", "wine/expected-weak"])
  func perClassFigures(fixture: String) throws {
    let directory = TestEnvironment.path(
      fixture.contains("/") ? "fixtures/\(fixture)" : "fixtures/\(fixture)/expected")
    let json = try JSONParser.parse(
      Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/metrics.json"))))
    guard case .object(let perClass) = json["metrics"]?["per_class"] ?? .null else {
      Issue.record("no per_class in \(fixture)")
      return
    }
    let expected = try Self.load(fixture)
    guard case .classification(let data) = expected.evaluation else { return }
    let matrix = ConfusionMatrix(data, weights: nil)
    #expect(perClass.count == data.classes.count)
    for (name, figures) in perClass {
      let c = try #require(data.classes.firstIndex(of: name))
      #expect(abs(matrix.precision(of: c) - (figures["precision"]?.numberValue ?? .nan)) <= 1e-12)
      #expect(abs(matrix.recall(of: c) - (figures["recall"]?.numberValue ?? .nan)) <= 1e-12)
      #expect(abs(matrix.f1(of: c) - (figures["f1"]?.numberValue ?? .nan)) <= 1e-12)
      #expect(matrix.rowSums[c] == figures["support"]?.numberValue)
    }
  }

  @Test func bootstrapIsDeterministicForASeed() throws {
    let expected = try Self.load("credit")
    let engine = MetricEngine(expected.evaluation)
    let a = Bootstrap(resamples: 300, level: 0.95, seed: 7).intervals([.accuracy], engine: engine)
    let b = Bootstrap(resamples: 300, level: 0.95, seed: 7).intervals([.accuracy], engine: engine)
    let c = Bootstrap(resamples: 300, level: 0.95, seed: 8).intervals([.accuracy], engine: engine)
    #expect(
      a[.accuracy]?.lower == b[.accuracy]?.lower && a[.accuracy]?.upper == b[.accuracy]?.upper)
    #expect(
      a[.accuracy]?.lower != c[.accuracy]?.lower || a[.accuracy]?.upper != c[.accuracy]?.upper)
  }

  @Test func rankingMetricsHandleTies() {
    // y = [1, 0, 1, 0], scores with a tie between a positive and a negative:
    // scikit-learn: roc_auc_score = 0.875? computed by hand: pairs (p,n): (0.8,0.3)=1,(0.8,0.5)=1,(0.5,0.3)=1,(0.5,0.5)=0.5 → 3.5/4
    let data = ClassificationData(
      classes: ["n", "p"], truth: [1, 0, 1, 0], predicted: [1, 0, 1, 1],
      probabilities: [0.2, 0.8, 0.7, 0.3, 0.5, 0.5, 0.5, 0.5], positive: 1)
    let engine = MetricEngine(.classification(data))
    #expect(abs(engine.value(.areaUnderROC) - 0.875) < 1e-12)
    // average precision: thresholds 0.8 (P=1, R=.5), 0.5 (P=2/3, R=1) → .5·1 + .5·2/3
    #expect(abs(engine.value(.areaUnderPR) - (0.5 + 0.5 * 2 / 3)) < 1e-12)
  }

  @Test func quantileIsNumpyLinear() {
    #expect(Quantile.linear([1, 2, 3, 4], 0.25) == 1.75)
    #expect(Quantile.linear([1, 2, 3, 4], 0.5) == 2.5)
    #expect(Quantile.linear([5], 0.9) == 5)
  }
}

extension MetricEngineTests {
  /// Expects every metric of `evaluation` to equal scikit-learn's value for `fixture` to 1e-9.
  static func expectFigures(of evaluation: Evaluation, match fixture: String) throws {
    let expected = try load(fixture)
    let engine = MetricEngine(evaluation)
    #expect(!expected.metrics.isEmpty)
    for (name, value) in expected.metrics {
      let metric = try #require(Metric.named(name))
      #expect(
        abs(engine.value(metric) - value) <= 1e-9,
        "\(fixture) \(name): \(engine.value(metric)) vs \(value)")
    }
  }
}
