import Foundation
import MLGateTestSupport
import Testing

@testable import MLGate

/// A category added by the registry alone: its folder would hold these three types, and the
/// test's registry is the one line that registers it.
private struct ParityCategory: CheckCategory {
  struct Config: Sendable {
    var rows: Int
    var position: SourcePosition
  }

  var requirements: Requirements = [.model, .task]
  var name: CategoryName { CategoryName(rawValue: "parity") }

  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> Config {
    var rows = 10
    for entry in try node.entries(Key.self) {
      switch entry.key {
      case .rows: rows = try entry.value.int(in: 1...10_000)
      }
    }
    return Config(rows: rows, position: node.position)
  }

  func checks(for config: Config) -> [any Check] { [ParityCheck(rows: config.rows)] }

  enum Key: String, ConfigKey { case rows }
}

/// Scores rows it makes itself through the context and checks each answer is its own row's.
private struct ParityCheck: Check {
  var rows: Int
  var category: CategoryName { CategoryName(rawValue: "parity") }
  var name: String { "the model answers each of \(rows) made-up rows with its own value" }

  func run(_ context: RunContext) async throws -> CheckReport {
    let made = (0..<rows).map { [DataValue.number(Double($0))] }
    let predictions = try await context.predict(made, featureNames: ["x"], what: "made-up rows")
    let wrong = zip(made, predictions.values).filter { $0.0[0] != $0.1 }.count
    return CheckReport(
      outcome: wrong == 0 ? .passed : .failed(message: "\(wrong) wrong", details: ""),
      summary: "\(rows) rows")
  }
}

/// A category that needs nothing at all: no model, no task, no data.
private struct NothingCategory: CheckCategory {
  var name: CategoryName { CategoryName(rawValue: "nothing") }
  var requirements: Requirements { [] }
  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> Bool {
    try node.bool()
  }
  func checks(for config: Bool) -> [any Check] { [NothingCheck(pass: config)] }
}

private struct NothingCheck: Check {
  var pass: Bool
  var category: CategoryName { CategoryName(rawValue: "nothing") }
  var name: String { "nothing is needed" }
  func run(_ context: RunContext) async throws -> CheckReport {
    CheckReport(
      outcome: pass ? .passed : .failed(message: "asked to fail", details: ""), summary: "")
  }
}

/// A category that needs the model in production.
private struct NeedsBaselineCategory: CheckCategory {
  var name: CategoryName { CategoryName(rawValue: "compare") }
  var requirements: Requirements { [.model, .baseline, .task, .labels, .testData] }
  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> Bool { true }
  func checks(for config: Bool) -> [any Check] { [] }
}

@Suite struct CategoryRegistryTests {
  func load(_ text: String, registry: CategoryRegistry) throws -> Suite {
    try SuiteLoader(environment: { _ in nil }, registry: registry).parse(
      text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/credit"))
  }

  func loadError(_ text: String, registry: CategoryRegistry = .standard) -> SuiteError? {
    do {
      _ = try load(text, registry: registry)
      return nil
    } catch let error as SuiteError {
      return error
    } catch {
      return nil
    }
  }

  @Test func aCategoryAddedThroughTheRegistryRunsItsChecksAgainstTheModel() async throws {
    let suite = try load(
      """
      name: plug-in
      task: regression
      model: { command: [unused], batch: 3 }
      tests:
        parity: { rows: 50 }
      """, registry: CategoryRegistry.standard.adding(ParityCategory()))
    let checks = Runner.checks(of: suite)
    #expect(checks.map(\.category.rawValue) == ["parity"])
    let model = EchoModel(concurrency: 3)
    let context = RunContext(suite: suite, model: model, progress: nil)
    let report = try await checks[0].run(context)
    #expect(report.outcome == .passed)
    #expect(model.calls.value == 17)
  }

  @Test func aSuiteWithoutModelTaskOrLabelLoadsWhenNoCategoryNeedsThem() async throws {
    let registry = CategoryRegistry.standard.adding(NothingCategory())
    let suite = try load("name: bare\ntests: { nothing: true }", registry: registry)
    #expect(suite.model == nil && suite.task == nil && suite.label == nil)
    let recorder = RecordingReporter()
    let report = await Runner(
      suite: suite, options: .init(handleSignals: false), reporters: [recorder]
    ).run()
    #expect(report.results.map(\.outcome) == [.passed])
    #expect(report.exitStatus == .passed)
    #expect(recorder.report?.properties.contains { $0.name == "model" } == false)
  }

  @Test func aCategoryThatNeedsWhatTheSuiteLacksIsASuiteErrorNamingBoth() throws {
    let quality = try #require(
      loadError(
        """
        name: no-model
        task: binary-classification
        label: Risk
        data: { test: test.csv }
        tests:
          quality: { accuracy: 0.7 }
        """))
    #expect(quality.position.line == 6)
    #expect(quality.message.contains("category 'quality' needs a model: add 'model:'"))

    let registry = CategoryRegistry.standard.adding(NeedsBaselineCategory())
    let compare = try #require(
      loadError(
        """
        name: no-baseline
        task: binary-classification
        model: { command: [unused] }
        tests:
          compare: {}
        """, registry: registry))
    #expect(compare.position.line == 5)
    #expect(compare.message.hasPrefix("category 'compare' needs a baseline model"))
    #expect(compare.message.contains("a label column"))
    #expect(compare.message.contains("labelled data"))
    #expect(!compare.message.contains("needs a model"))
  }

  @Test func aModelWithoutATaskIsRefused() throws {
    let error = try #require(
      loadError(
        """
        name: no-task
        model: { command: [unused] }
        tests: { quality: { accuracy: 0.7 } }
        """))
    #expect(error.position.line == 2)
    #expect(error.message.contains("'model' needs 'task:'"))
  }

  @Test func aPlannedCategoryIsNotSupportedYetAndAnUnknownOneGetsASuggestion() throws {
    let registry = CategoryRegistry(
      categories: CategoryRegistry.standard.categories, planned: ["explainability"])
    let planned = try #require(
      loadError("name: p\ntests: { explainability: {} }", registry: registry))
    #expect(planned.message.contains("category 'explainability' is not supported yet"))
    let unknown = try #require(loadError("name: p\ntests: { qualty: {} }"))
    #expect(unknown.message.contains("did you mean 'quality'?"))
    let added = CategoryRegistry.standard.adding(
      NothingCategory())
    #expect(
      added.categories.map(\.name.rawValue) == [
        "quality", "schema", "behavioural", "adversarial", "convergence", "integration", "drift",
        "fairness", "regression", "nothing",
      ])
  }

  @Test func theBaselineRoleIsAcceptedAndItsDigestReported() async throws {
    let registry = CategoryRegistry.standard.adding(NothingCategory())
    let suite = try load(
      """
      name: roles
      task: binary-classification
      model: { command: [unused-candidate], artifact: candidate.pkl }
      baseline: { command: [unused-baseline], artifact: production.pkl, batch: 50 }
      tests: { nothing: true }
      """, registry: registry)
    #expect(suite.models[.baseline]?.batch == 50)
    let recorder = RecordingReporter()
    let report = await Runner(
      suite: suite, options: .init(handleSignals: false), reporters: [recorder]
    ).run()
    let properties = Dictionary(
      report.properties.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    let sha256sum = try await runProgram(
      "/usr/bin/sha256sum", [TestEnvironment.path("fixtures/credit/production.pkl")])
    let expected = "sha256:" + (sha256sum.stdout.split(separator: " ").first.map(String.init) ?? "")
    #expect(properties["baseline.digest"] == expected)
    #expect(properties["baseline"] == "command unused-baseline")
    #expect(properties["model.digest"] != properties["baseline.digest"])
    // Neither model was started: no check asked for predictions.
    #expect(report.results.map(\.outcome) == [.passed])
  }

  @Test func baselineTakesTheKeysOfModel() throws {
    let error = try #require(
      loadError(
        """
        name: roles
        task: regression
        model: { command: [a] }
        baseline: { comand: [b] }
        tests: { quality: { r2: 0.1 } }
        """))
    #expect(error.message.contains("unknown key 'comand' in 'baseline' — did you mean 'command'?"))
  }
}
