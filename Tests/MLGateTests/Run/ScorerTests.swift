import Foundation
import Testing

@testable import MLGate

/// Concurrent scoring keeps every answer with its own rows, whatever order the answers come in.
@Suite struct ScorerTests {
  /// A model that echoes each row's `x` as its label, after a delay that varies per batch, so
  /// answers come back out of order.
  struct EchoModel: Model {
    var displayName: String { "echo" }
    var maxConcurrency: Int { 4 }
    func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
      let first =
        batch.rows.first?.first.flatMap { if case .number(let v) = $0 { Int(v) } else { nil } } ?? 0
      try? await Task.sleep(for: .milliseconds((first * 7919) % 23))
      return Predictions(values: batch.rows.map { $0[0] }, probabilities: nil, classes: nil)
    }
    func shutdown() async {}
  }

  @Test func outOfOrderAnswersAreCollectedInFileOrder() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    var text = "x,label\n"
    for row in 0..<500 { text += "\(row % 7),\(row % 7)\n" }
    try text.write(toFile: directory + "/test.csv", atomically: true, encoding: .utf8)
    let suite = try SuiteLoader(environment: { _ in nil }).parse(
      text: """
        name: s
        task: multiclass
        label: label
        data: { test: test.csv }
        model: { command: [unused], batch: 9 }
        tests: { quality: { accuracy: 0.5 } }
        """, file: "inline.yml", directory: directory)
    let scored = try await Scorer(suite: suite, model: EchoModel(), progress: nil).score(
      try #require(suite.data.test))
    #expect(scored.rows == 500)
    #expect(scored.batches == 56)
    #expect(MetricEngine(scored.evaluation).value(.accuracy) == 1)
  }
}
