import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// `mlgate snapshot` saves the production model's predictions; a suite whose baseline is that
/// snapshot gives the same regression report as the live model, and refuses other data.
@Suite(.serialized, .enabled(if: TestEnvironment.pythonTestsEnabled)) struct SnapshotTests {
  func suite(baseline: String, data: String = "test.csv", in directory: String) throws -> String {
    let credit = TestEnvironment.path("fixtures/credit")
    let serve = TestEnvironment.path("ci/serve_model.py")
    let text = """
      version: 1
      name: snapshot
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: \(credit)/\(data) }
      model: { command: [python3, \(serve), \(credit)/candidate.pkl] }
      baseline: \(baseline)
      tests:
        regression:
          slices: [Sex, { column: Age, bins: [19, 30, 40, 75] }]
          max_negative_flip_rate: 0.1
      """
    let path = directory + "/\(UUID().uuidString).yml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// The report's case lines without times.
  func lines(_ junit: String) throws -> [String] {
    try ReportCase.read(junit).map { "\($0.key): \($0.value.failure ?? "") \($0.value.output)" }
      .sorted()
  }

  /// A suite whose baseline is production.pkl, and the snapshot `mlgate snapshot` took of it.
  func takeSnapshot(in directory: String) async throws -> (live: String, snapshot: String) {
    let live = try suite(
      baseline:
        "{ command: [python3, \(TestEnvironment.path("ci/serve_model.py")), \(TestEnvironment.path("fixtures/credit/production.pkl"))] }",
      in: directory)
    let snapshot = directory + "/production.jsonl"
    let taken = try await runProgram(TestEnvironment.binary, ["snapshot", live, "-o", snapshot])
    #expect(taken.status == 0, "\(taken.stderr)")
    #expect(taken.stdout.hasPrefix("snapshot: 1000 rows of"))
    return (live, snapshot)
  }

  @Test func aSnapshotAnswersAsTheModelDid() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let (live, snapshot) = try await takeSnapshot(in: directory)
    let saved = try suite(baseline: "{ snapshot: \(snapshot) }", in: directory)
    let first = try await ReportCase.run(live)
    let second = try await ReportCase.run(saved)
    #expect(first.result.status == 0 && second.result.status == 0)
    #expect(try lines(first.junit) == lines(second.junit))
    #expect(second.cases.count == 13)
  }

  @Test func aSnapshotRefusesOtherData() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let (_, snapshot) = try await takeSnapshot(in: directory)
    let other = try suite(
      baseline: "{ snapshot: \(snapshot) }", data: "drift-resample.csv", in: directory)
    let run = try await ReportCase.run(other)
    #expect(run.result.status == 3)
    let error = try #require(run.cases["accuracy does not drop overall"]?.error)
    #expect(error.contains("answers only the rows of"), "\(error)")
    #expect(error.contains("test.csv it was taken on"))
  }

  @Test func snapshotMistakesAreClear() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let missing = try suite(baseline: "{ snapshot: \(directory)/none.jsonl }", in: directory)
    let load = try await runProgram(TestEnvironment.binary, ["validate", missing])
    #expect(load.status == 2)
    #expect(load.stderr.contains("take one with: mlgate snapshot SUITE -o FILE"), "\(load.stderr)")
    try "{\"not\": 1}\n".write(toFile: directory + "/bad.jsonl", atomically: true, encoding: .utf8)
    let bad = try suite(baseline: "{ snapshot: \(directory)/bad.jsonl }", in: directory)
    let run = try await ReportCase.run(bad)
    #expect(
      run.cases["accuracy does not drop overall"]?.error?.contains("is not an mlgate snapshot")
        == true)
    let noBaseline = directory + "/plain.yml"
    try
      "version: 1\nname: p\ntask: binary-classification\nlabel: Risk\ndata: { test: \(TestEnvironment.path("fixtures/credit/test.csv")) }\nmodel: { command: [python3] }\ntests: { quality: { accuracy: 0.5 } }\n"
      .write(toFile: noBaseline, atomically: true, encoding: .utf8)
    let nothing = try await runProgram(
      TestEnvironment.binary, ["snapshot", noBaseline, "-o", directory + "/x.jsonl"])
    #expect(nothing.status == 2)
    #expect(nothing.stderr.contains("the suite has no 'baseline'"))
  }
}
