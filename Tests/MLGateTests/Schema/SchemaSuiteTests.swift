import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// `tests: schema:` end to end with the real scikit-learn model served by `ci/serve_model.py`:
/// a careful server (`--strict`) passes every case; each planted defect fails the right one.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled)) struct SchemaSuiteTests {
  static let everyCase = "{ all: reject, empty_batch: handle, oversized_batch: handle }"

  /// Runs a credit suite whose model is `serve_model.py ARGS`, and returns the outcome of each
  /// schema check by name.
  func run(
    model arguments: String?, data: String = "test.csv", badInput: String? = everyCase,
    extra: String = ""
  ) async throws -> [String: CheckOutcome] {
    let python = try #require(TestEnvironment.python)
    var text = """
      name: schema
      seed: 7
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: \(data) }

      """
    if let arguments {
      text += "model: { command: [\(python), ../../ci/serve_model.py, \(arguments)], batch: 128 }\n"
    }
    text += """
      tests:
        schema:
          input: schema.yml
      \(badInput.map { "    bad_input: \($0)\n" } ?? "")\(extra)
      """
    let suite = try SuiteLoader(environment: { _ in nil }).parse(
      text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/credit"))
    let recorder = RecordingReporter()
    let report = await Runner(
      suite: suite, options: .init(handleSignals: false), reporters: [recorder]
    ).run()
    return Dictionary(
      report.results.map { ($0.name, $0.outcome) }, uniquingKeysWith: { first, _ in first })
  }

  static func failures(_ outcomes: [String: CheckOutcome]) -> [String: String] {
    outcomes.compactMapValues {
      switch $0 {
      case .passed, .skipped: return nil
      case .failed(let message, _): return message
      case .error(let kind, let message, _): return "error \(kind): \(message)"
      }
    }
  }

  @Test(
    "a careful server passes every case, whichever model it serves",
    arguments: ["candidate.pkl", "production.pkl"])
  func aCarefulServerPasses(model: String) async throws {
    let outcomes = try await run(model: "--strict, \(model)")
    let expected = 7 + 1 + BadInputKind.allCases.count + 1
    #expect(outcomes.count == expected)
    #expect(Self.failures(outcomes).isEmpty, "\(Self.failures(outcomes))")
  }

  @Test func probabilitiesThatDoNotSumToOneFailTheContractOnly() async throws {
    let outcomes = try await run(model: "--strict, --defect, unnormalised, candidate.pkl")
    let failed = Self.failures(outcomes)
    let names = Array(failed.keys)
    #expect(names == ["the model's answers meet the output contract"])
    let message = try #require(failed.values.first)
    #expect(message.contains("rows have probabilities that do not sum to 1"), "\(message)")
    #expect(message.contains("sums to 0.900000"), "\(message)")
  }

  @Test func aModelThatCrashesOnAnEmptyBatchFailsThatCaseAndStaysDown() async throws {
    let failed = Self.failures(
      try await run(model: "--strict, --defect, crash-on-empty, candidate.pkl"))
    let empty = try #require(failed["the model handles an empty batch"])
    #expect(empty.contains("no rows → the model broke"), "\(empty)")
    #expect(empty.contains("exited with status 70"), "\(empty)")
    let after = try #require(failed["the model still answers as before after the bad input"])
    #expect(after.contains("no longer answers"), "\(after)")
    // The cases before the crash are unaffected.
    #expect(failed["the model rejects a null in a required column"] == nil)
    #expect(failed["the model rejects an extra field"] == nil)
  }

  @Test func aServerThatFillsInWhatIsMissingFailsTheCasesItPredictsSilently() async throws {
    let failed = Self.failures(try await run(model: "candidate.pkl"))
    #expect(
      Set(failed.keys) == [
        "the model rejects a null in a required column", "the model rejects an unknown category",
        "the model rejects a missing field", "the model rejects an extra field",
        "the model rejects a 1 MiB string",
      ], "\(failed)")
    let null = try #require(failed["the model rejects a null in a required column"])
    // Null in a numeric column reaches the scaler as NaN and is refused; in a categorical one
    // the encoder ignores it and the model predicts.
    #expect(
      null.hasPrefix(
        "13 of 20 payloads went wrong; first: CheckingStatus = null → a silent prediction"),
      "\(null)")
  }

  @Test func dataAloneIsValidatedWithoutAModel() async throws {
    let outcomes = try await run(model: nil, data: "test-corrupted.csv", badInput: nil)
    #expect(outcomes.count == 7)
    let failed = Self.failures(outcomes)
    #expect(failed.count == 6, "\(failed)")
    #expect(
      failed["test data has every required column"]?.contains("'Telephone' is missing") == true)
    #expect(failed["test data has no column outside the schema"]?.contains("'CustomerId'") == true)
    #expect(
      failed["test data has numbers within the declared ranges"]
        == "1 column of test-corrupted.csv: 'Age': 5 rows (0.5%) outside [19, 74]: '150' ×3, '-1' ×2; first on lines 412, 466, 492"
    )
    #expect(outcomes["test data has rows"] == .passed)
  }

  @Test func aShareOfBadRowsCanBeTolerated() async throws {
    let failed = Self.failures(
      try await run(
        model: nil, data: "test-corrupted.csv", badInput: nil, extra: "    max_bad_rows: 0.005\n"))
    // Age (0.5%) and LoanDuration (0.7%): only the share above 0.5% fails.
    #expect(failed["test data has numbers within the declared ranges"] == nil)
    #expect(
      failed["test data has values of the declared types"]?.contains("'LoanDuration'") == true)
    #expect(failed["test data has values of the declared types"]?.contains("'LoanAmount'") == false)
    #expect(failed["test data has categories within the declared domains"] == nil)
  }
}

/// `tests: schema:` mistakes, named at their line before anything runs.
@Suite struct SchemaSectionTests {
  func load(_ tests: String, model: Bool = true) throws(SuiteError) -> Suite {
    let text = """
      name: s
      task: binary-classification
      label: Risk
      data: { test: test.csv }
      \(model ? "model: { command: [true] }" : "")
      tests:
        schema:
      \(tests)
      """
    return try SuiteLoader(environment: { _ in nil }).parse(
      text: text, file: "s.yml", directory: TestEnvironment.path("fixtures/credit"))
  }

  @Test(
    "mistakes are named at their line",
    arguments: [
      ("    input: schema.yml\n    bad_input: [nul]", true, "s.yml:9", "did you mean 'null'"),
      ("    input: schema.yml\n    bad_input: [null]", false, "s.yml:9", "needs 'model:'"),
      (
        "    input: schema.yml\n    bad_input: { nan: refuse }", true, "s.yml:9",
        "'reject' or 'handle'"
      ),
      ("    input: schema.yml\n    data: [reference]", true, "s.yml:9", "has no 'reference'"),
      ("    input: schema.yml\n    reject_status: [200]", true, "s.yml:9", "error status"),
      ("    input: missing.yml", true, "missing.yml", "cannot read the schema file"),
      ("    data: [test]", true, "s.yml:8", "needs 'input:'"),
      ("    input: schema.yml\n    max_bad_rows: 1", true, "s.yml:9", "[0, 1)"),
    ])
  func mistakes(tests: String, model: Bool, place: String, words: String) {
    do {
      _ = try load(tests, model: model)
      Issue.record("accepted: \(tests)")
    } catch {
      #expect(error.description.hasPrefix(place), "\(error)")
      #expect(error.description.contains(words), "\(error)")
    }
  }

  @Test func expectationsOverrideAll() throws {
    let suite = try load(
      "    input: schema.yml\n    bad_input: { all: reject, empty_batch: handle }\n    reject_status: [400, 500]"
    )
    let config = try #require(suite.tests.schema)
    #expect(config.badInput.count == BadInputKind.allCases.count)
    #expect(config.badInput.first { $0.kind == .emptyBatch }?.expect == .handle)
    #expect(config.badInput.first { $0.kind == .nan }?.expect == .reject)
    #expect(config.rejectStatuses == [400, 500])
    #expect(config.output != nil, "the output contract is on by default with a model")
    #expect(config.targets == [.role(.test)])
  }
}
