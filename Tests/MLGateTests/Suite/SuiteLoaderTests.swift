import Foundation
import Testing

@testable import MLGate

@Suite struct SuiteLoaderTests {
  static let brokenSuites: [String] = {
    let directory = TestEnvironment.path("fixtures/broken/suites")
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
      $0.hasSuffix(".yml")
    }.sorted()
  }()

  /// The `# expect: LINE:COL: message` header of a broken suite.
  static func expectation(_ file: String) throws -> String {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let first =
      text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
    guard first.hasPrefix("# expect: ") else {
      throw FixtureError(message: "\(file) has no '# expect:' header")
    }
    return String(first.dropFirst("# expect: ".count))
  }

  @Test("each broken suite gives its specific message at file:line:column", arguments: brokenSuites)
  func brokenSuite(name: String) throws {
    let file = TestEnvironment.path("fixtures/broken/suites/\(name)")
    let expected = try Self.expectation(file)
    let loader = SuiteLoader(environment: { _ in nil })
    let error = try #require(throws: SuiteError.self) { try loader.load(path: file) }
    #expect(error.description.hasPrefix("\(file):"), "\(error)")
    #expect(error.description.contains(expected), "got: \(error)\nexpected to contain: \(expected)")
  }

  @Test func corpusIsNotEmpty() { #expect(Self.brokenSuites.count >= 15) }

  static func parse(_ text: String, environment: [String: String] = [:]) throws -> Suite {
    try SuiteLoader(environment: { environment[$0] }).parse(
      text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/credit"))
  }

  static let minimal = """
    name: s
    task: binary-classification
    label: Risk
    positive: Risk
    data: { test: test.csv }
    model: { command: [python3, serve.py] }
    tests:
      quality:

    """

  @Test func everyThresholdFormIsAccepted() throws {
    let suite = try Self.parse(
      Self.minimal + """
            area_under_roc: { threshold: [0.75, lower] }
            accuracy: [0.7, lower]
            log_loss: 0.6
            brier_score: { threshold: 0.25 }
            f1_measure: { type: lower_limit, value: 0.5 }
            thresholds:
              - { metric_id: false_positive_rate, type: upper_limit, value: 0.2 }
              - { metric_id: true_positive_rate, type: lower_limit, value: 0.4 }
        """)
    let thresholds = try #require(suite.tests.quality?.thresholds)
    let byMetric = Dictionary(
      uniqueKeysWithValues: thresholds.map { ($0.metric, ($0.value, $0.direction)) })
    #expect(byMetric[.areaUnderROC]! == (0.75, .lower))
    #expect(byMetric[.accuracy]! == (0.7, .lower))
    #expect(byMetric[.logLoss]! == (0.6, .upper))
    #expect(byMetric[.brierScore]! == (0.25, .upper))
    #expect(byMetric[.f1Measure]! == (0.5, .lower))
    #expect(byMetric[.falsePositiveRate]! == (0.2, .upper))
    #expect(byMetric[.recall]! == (0.4, .lower))
  }

  @Test func environmentInterpolationAndDefaults() throws {
    let suite = try Self.parse(
      """
      name: ${SUITE_NAME:-fallback}-${STAGE}
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: test.csv }
      model: { command: [python3, "${SCRIPT}", "$${literal}"] }
      tests: { quality: { accuracy: 0.8 } }
      """, environment: ["STAGE": "prod", "SCRIPT": "serve.py"])
    #expect(suite.name == "fallback-prod")
    guard case .command(let argv, _, _) = suite.model?.access else {
      Issue.record("not a command"); return
    }
    #expect(argv == ["python3", "serve.py", "${literal}"])
  }

  @Test func secretLookingVariablesAreRedacted() throws {
    let suite = try Self.parse(
      """
      name: s
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: test.csv }
      model: { command: [python3, serve.py, --token, "${SCORING_TOKEN}"] }
      tests: { quality: { accuracy: 0.8 } }
      """, environment: ["SCORING_TOKEN": "s3cr3t-value-123"])
    #expect(suite.secrets.redact("calling with s3cr3t-value-123 now") == "calling with *** now")
  }

  @Test func relativePathsResolveAgainstTheSuiteFolder() throws {
    let suite = try Self.parse(Self.minimal + "      accuracy: 0.8\n")
    #expect(suite.data.test?.path == TestEnvironment.path("fixtures/credit/test.csv"))
    #expect(suite.data.test?.displayName == "test.csv")
  }

  @Test func metricAliasesAreCaseInsensitive() {
    #expect(Metric.named("AUC") == .areaUnderROC)
    #expect(Metric.named("roc_auc") == .areaUnderROC)
    #expect(Metric.named("RMSE") == .rootMeanSquaredError)
    #expect(Metric.named("nonsense") == nil)
  }

  @Test(arguments: [("threshhold", "threshold"), ("acuracy", "accuracy"), ("lable", "label")])
  func suggestions(typo: String, meant: String) {
    #expect(
      TextFormat.suggestion(for: typo, in: ["threshold", "accuracy", "label", "model"]) == meant)
  }

  @Test func noSuggestionForSomethingUnrelated() {
    #expect(TextFormat.suggestion(for: "zebra", in: ["threshold", "accuracy"]) == nil)
  }
}
