import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// The regression gate is not flaky.
///
/// The candidate retrained with 20 other seeds (the same recipe, `ci/null_check_models.py`),
/// each compared with the candidate itself over the example suite's slices, passes at least 19
/// times in 20. Measured on 2026-12-03: 20 of 20.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled)) struct NullCheckTests {
  @Test func aModelRetrainedWithAnotherSeedPasses() async throws {
    let python = try #require(TestEnvironment.python)
    let directory = try TestEnvironment.temporaryDirectory()
    let trained = try await runProgram(
      python, [TestEnvironment.path("ci/null_check_models.py"), directory, "1", "20"],
      timeLimit: 300)
    #expect(trained.status == 0, "\(trained.stderr)")
    let credit = TestEnvironment.path("fixtures/credit")
    let serve = TestEnvironment.path("ci/serve_model.py")
    var passed: [Int] = []
    var failures: [String] = []
    for seed in 1...20 {
      let suite = """
        version: 1
        name: null-check
        task: binary-classification
        label: Risk
        positive: Risk
        data: { test: \(credit)/test.csv }
        model: { command: [python3, \(serve), \(directory)/seed-\(seed).pkl] }
        baseline: { command: [python3, \(serve), \(credit)/candidate.pkl] }
        tests:
          regression:
            slices: [Sex, CheckingStatus, { column: Age, bins: [19, 30, 40, 75] }]
        """
      let path = directory + "/seed-\(seed).yml"
      try suite.write(toFile: path, atomically: true, encoding: .utf8)
      let run = try await ReportCase.run(path)
      if run.result.status == 0 {
        passed.append(seed)
      } else {
        failures += run.cases.compactMap { name, found in
          found.failure.map { "seed \(seed): \(name): \($0)" }
            ?? found.error.map { "seed \(seed): \(name): \($0)" }
        }
      }
    }
    print("null check: \(passed.count) of 20 seeds pass")
    #expect(passed.count >= 19, "passed \(passed.count) of 20: \(failures)")
  }
}
