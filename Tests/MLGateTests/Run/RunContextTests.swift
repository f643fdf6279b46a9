import Foundation
import MLGateTestSupport
import Testing

@testable import MLGate

/// The run context as a service: models and data by role, single-flight shared figures, and
/// scoring that keeps every answer with its own rows.
@Suite struct RunContextTests {
  /// A model that answers every row with the negation of its first feature.
  struct NegatingModel: Model {
    var displayName: String { "negating" }
    func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
      let values = batch.rows.map { row -> DataValue in
        if case .number(let value) = row[0] { return .number(-value) }
        return row[0]
      }
      return Predictions(values: values, probabilities: nil, classes: nil)
    }
    func shutdown() async {}
  }

  /// A suite over a file of `rows` rows: `x` (the label too) and a dropped group column `g`.
  func suite(rows: Int, batch: Int = 9) throws -> Suite {
    let directory = try TestEnvironment.temporaryDirectory()
    var text = "x,g,label\n"
    for row in 0..<rows { text += "\(row % 7),g\(row % 3),\(row % 7)\n" }
    try text.write(toFile: directory + "/test.csv", atomically: true, encoding: .utf8)
    return try SuiteLoader(environment: { _ in nil }).parse(
      text: """
        name: s
        task: multiclass
        label: label
        data: { test: test.csv, drop: [g] }
        model: { command: [unused], batch: \(batch) }
        baseline: { command: [unused], batch: 100 }
        tests: { quality: { accuracy: 0.5 } }
        """, file: "inline.yml", directory: directory)
  }

  @Test func outOfOrderAnswersAreCollectedInFileOrder() async throws {
    let suite = try suite(rows: 500)
    let model = EchoModel(concurrency: 4)
    let context = RunContext(suite: suite, model: model, progress: nil)
    let scored = try await context.scored()
    #expect(scored.rows == 500)
    #expect(scored.batches == 56)
    #expect(model.calls.value == 56)
    #expect(MetricEngine(scored.evaluation).value(.accuracy) == 1)
  }

  @Test func keptColumnsStayNextToTheirRowsEvenWhenNotSentToTheModel() async throws {
    let suite = try suite(rows: 100)
    let context = RunContext(
      suite: suite, models: [.candidate: EchoModel()], keep: ["g", "x"], progress: nil)
    let scored = try await context.scored()
    #expect(scored.kept["g"] == (0..<100).map { .string("g\($0 % 3)") })
    #expect(scored.kept["x"] == (0..<100).map { .number(Double($0 % 7)) })
  }

  @Test func eachRoleScoresWithItsOwnModel() async throws {
    let suite = try suite(rows: 60)
    let context = RunContext(
      suite: suite, models: [.candidate: EchoModel(), .baseline: NegatingModel()], progress: nil)
    let candidate = try await context.scored(.test, by: .candidate)
    let baseline = try await context.scored(.test, by: .baseline)
    #expect(MetricEngine(candidate.evaluation).value(.accuracy) == 1)
    // The negated labels are right only where the label is 0.
    let zeros = Double((0..<60).filter { $0 % 7 == 0 }.count) / 60
    #expect(abs(MetricEngine(baseline.evaluation).value(.accuracy) - zeros) < 1e-12)
    #expect(baseline.batches == 1)
  }

  @Test func aMissingRoleIsASuiteError() async throws {
    let suite = try suite(rows: 10)
    let context = RunContext(suite: suite, model: EchoModel(), progress: nil)
    await #expect(throws: ScoringError.self) { try await context.scored(.test, by: .baseline) }
    await #expect(throws: ScoringError.self) { try await context.scored(.reference) }
  }

  @Test func rowsACheckMakesComeBackInRowOrder() async throws {
    let suite = try suite(rows: 10, batch: 7)
    let model = EchoModel(concurrency: 4)
    let context = RunContext(suite: suite, model: model, progress: nil)
    let rows = (0..<1000).map { [DataValue.number(Double($0 % 97))] }
    let predictions = try await context.predict(rows, featureNames: ["x"], what: "made rows")
    #expect(predictions.values == rows.map { $0[0] })
    #expect(model.calls.value == 143)
    let none = try await context.predict([], featureNames: ["x"], what: "no rows")
    #expect(none.values.isEmpty)
  }

  @Test func aSharedFigureIsComputedOnceHoweverManyAskAtOnce() async throws {
    let suite = try suite(rows: 10)
    let context = RunContext(suite: suite, model: EchoModel(), progress: nil)
    let computed = CallCounter()
    let values = await withTaskGroup(of: Int.self) { group in
      for _ in 0..<64 {
        group.addTask {
          (try? await context.shared("figure") { () async throws(ScoringError) -> Int in
            computed.increment()
            try? await Task.sleep(for: .milliseconds(20))
            return 42
          }) ?? -1
        }
      }
      return await group.reduce(into: [Int]()) { $0.append($1) }
    }
    #expect(values == Array(repeating: 42, count: 64))
    #expect(computed.value == 1)
    let other = try await context.shared("another figure") { () async throws(ScoringError) in 7 }
    #expect(other == 7)
  }

  @Test func aFailureIsComputedOnceAndGivenToEveryCaller() async throws {
    let suite = try suite(rows: 10)
    let context = RunContext(suite: suite, model: EchoModel(), progress: nil)
    let computed = CallCounter()
    for _ in 0..<3 {
      await #expect(throws: ScoringError.self) {
        try await context.shared("broken") { () async throws(ScoringError) -> Int in
          computed.increment()
          throw .suite("no such figure")
        }
      }
    }
    #expect(computed.value == 1)
  }

  @Test func qualityChecksRunningConcurrentlyScoreTheDataOnce() async throws {
    let suite = try suite(rows: 200)
    let model = EchoModel(concurrency: 2)
    var config = try #require(suite.tests.quality)
    let position = config.thresholds[0].position
    config.thresholds.append(
      .init(metric: .balancedAccuracy, value: 0.5, direction: .lower, position: position))
    let checks = config.thresholds.map { QualityCheck(threshold: $0, config: config) }
    let context = RunContext(suite: suite, model: model, progress: nil)
    let outcomes = await withTaskGroup(of: CheckOutcome?.self) { group in
      for check in checks { group.addTask { try? await check.run(context).outcome } }
      return await group.reduce(into: [CheckOutcome?]()) { $0.append($1) }
    }
    #expect(outcomes == [.passed, .passed])
    #expect(model.calls.value == 23)
  }
}
