import Foundation
import Testing

@testable import MLGate

/// Every quality check states the smallest shortfall its rows detect with 80 % power, and
/// `min_detectable_drop` makes a check too weak to protect the gate inconclusive.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled)) struct QualityPowerTests {
  func run(rows: Int?, extra: String = "") async throws -> [String: ReportCase] {
    let directory = try TestEnvironment.temporaryDirectory()
    let credit = TestEnvironment.path("fixtures/credit")
    var data = credit + "/test.csv"
    if let rows {
      let lines = try String(contentsOfFile: data, encoding: .utf8).split(separator: "\n")
      try (lines.prefix(rows + 1).joined(separator: "\n") + "\n").write(
        toFile: directory + "/small.csv", atomically: true, encoding: .utf8)
      data = directory + "/small.csv"
    }
    let suite = """
      version: 1
      name: power
      seed: 7
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: \(data) }
      model: { command: [python3, \(TestEnvironment.path("ci/serve_model.py")), \(credit)/candidate.pkl] }
      tests:
        quality:
          accuracy: [0.7, lower]
          min_detectable_drop: 0.05\(extra)
      """
    try suite.write(toFile: directory + "/s.yml", atomically: true, encoding: .utf8)
    return try await ReportCase.run(directory + "/s.yml").cases
  }

  @Test func theDetectableShortfallIsTheBootstrapsAndGatesOnRequest() async throws {
    // The stratified bootstrap's accuracy has variance Σ_c n_c a_c (1 − a_c) / n² exactly
    // (a multinomial draw within each class): the stated figure is (z₀.₉₇₅ + z₀.₈) times its
    // root, to Monte Carlo error.
    guard case .classification(let data) = try MetricEngineTests.load("credit").evaluation else {
      Issue.record("credit is a classification fixture")
      return
    }
    var variance = 0.0
    for c in data.classes.indices {
      let rows = data.truth.indices.filter { data.truth[$0] == c }
      let right = Double(rows.filter { data.predicted[$0] == c }.count) / Double(rows.count)
      variance += Double(rows.count) * right * (1 - right)
    }
    let n = Double(data.truth.count)
    let expected = (1.959963984540054 + 0.8416212335729143) * (variance / (n * n)).squareRoot()
    let cases = try await run(rows: nil)
    let found = try #require(cases["accuracy is at least 0.7"])
    #expect(found.passed, "\(found)")
    let text = found.output
    let range = try #require(text.range(of: "detect a shortfall of "))
    let stated = try #require(Double(text[range.upperBound...].prefix { $0 != " " }))
    #expect(abs(stated - expected) <= 0.05 * expected, "stated \(stated), exact \(expected)")
    #expect(expected < 0.05)

    // 150 rows cannot see a shortfall of 0.05: inconclusive, not a silent pass.
    let small = try await run(rows: 150)
    let weak = try #require(small["accuracy is at least 0.7"])
    #expect(
      weak.skipped?.contains("cannot detect a shortfall of 0.05 with 80% power") == true,
      "\(weak)")
  }

  @Test func aBoundThatCannotMeanAnythingIsASuiteError() throws {
    let text = """
      version: 1
      name: s
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: test.csv }
      model: { command: [python3] }
      tests:
        quality: { accuracy: 0.7, min_detectable_drop: 0 }
      """
    #expect {
      _ = try SuiteLoader().parse(
        text: text, file: "s.yml", directory: TestEnvironment.path("fixtures/credit"))
    } throws: { error in
      "\(error)".contains("'min_detectable_drop' must be above 0")
        && "\(error)".hasPrefix("s.yml:9:")
    }
  }
}
