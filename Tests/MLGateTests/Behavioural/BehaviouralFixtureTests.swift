import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// The example suite's behavioural and adversarial sections against the fixture models with
/// planted defects (`ci/make_fixtures.py`): each defect fails the check made for it, the healthy
/// model and its twin retrained with another seed pass every one, and every count equals the one
/// `ci/behavioural_expected.py` computed with scikit-learn on the same rows, read from the
/// JUnit report as Jenkins reads it.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled)) struct BehaviouralFixtureTests {
  static let sex = "INV: sex does not change the decision"
  static let noise = "INV: small noise in amount, duration and age does not change the decision"
  static let duration = "DIR: a longer loan is not less risky"
  static let safe = "MFT: clearly safe applicants are approved"
  static let risky = "MFT: clearly risky applicants are flagged"
  static let sexTolerance = "INV: sex moves no probability by more than 0.1"
  static let durationTolerance = "DIR: a longer loan is not less risky, within 0.01"
  static let noiseAttack = "random noise within a quarter spread flips few decisions"
  static let greedyAttack = "the cheapest change within half a spread flips few decisions"

  /// The example suite with `model` in place of candidate.pkl, two tolerance variants added,
  /// and its schema section left out, run by the mlgate binary (a process of its own, as a user
  /// runs it); the behavioural and adversarial cases of its report, by name.
  func run(_ model: String) async throws -> [String: ReportCase] {
    var text = try String(
      contentsOfFile: TestEnvironment.path("fixtures/credit/mlgate.yml"), encoding: .utf8)
    let schema = try #require(text.range(of: "  schema:\n"))
    text = String(text[..<schema.lowerBound])
    text = text.replacingOccurrences(of: "candidate.pkl", with: model)
      .replacingOccurrences(
        of: "    invariance:\n",
        with:
          "    invariance:\n      - { name: sex moves no probability by more than 0.1, perturb: { swap: { Sex: [male, female] } }, tolerance: 0.1 }\n"
      )
      .replacingOccurrences(
        of: "    directionality:\n",
        with:
          "    directionality:\n      - { name: \"a longer loan is not less risky, within 0.01\", perturb: { scale: { LoanDuration: 1.5 } }, expect: not_decreasing, tolerance: 0.01 }\n"
      )
    let path = TestEnvironment.path("fixtures/credit/.mlgate-behavioural-\(UUID().uuidString).yml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let run = try await ReportCase.run(
      path, arguments: ["--only", "behavioural,adversarial"], timeLimit: 180)
    #expect([0, 1].contains(run.result.status), "\(run.result.stdout)\n\(run.result.stderr)")
    return run.cases
  }

  /// `N of M` from a behavioural summary.
  static func counts(_ result: ReportCase?) -> (failed: Int, tested: Int)? {
    guard let summary = result?.output,
      let range = summary.range(of: #"\(\d+ of \d+ rows"#, options: .regularExpression)
    else { return nil }
    let numbers = summary[range].dropFirst().split(separator: " ").compactMap { Int($0) }
    return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
  }

  static func failed(_ results: [String: ReportCase]) -> Set<String> {
    Set(results.compactMap { name, result in result.failure == nil ? nil : name })
  }

  static func expected(_ model: String) throws -> [String: Any] {
    let data = try Data(
      contentsOf: URL(
        fileURLWithPath: TestEnvironment.path("fixtures/credit/expected-behavioural.json")))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let models = try #require(root["models"] as? [String: Any])
    return try #require(models[model] as? [String: Any])
  }

  @Test(
    "each defect fails its own check; the healthy model and its twin pass every one",
    arguments: [
      ("candidate.pkl", []),
      ("twin-seed1.pkl", []),
      ("defect-uses-sex.pkl", [sex, sexTolerance]),
      ("defect-nonmonotone.pkl", [duration, durationTolerance, risky]),
      ("defect-misses-obvious.pkl", [safe, risky]),
      (
        "defect-fragile.pkl",
        [noise, noiseAttack, greedyAttack, duration, durationTolerance, safe, risky]
      ),
    ] as [(String, [String])])
  func verdicts(model: String, failing: [String]) async throws {
    let results = try await run(model)
    #expect(results.count == 9)
    let errors = results.filter { $0.value.error != nil }.map(\.key)
    #expect(errors.isEmpty, "\(errors)")
    #expect(Self.failed(results) == Set(failing), "\(model)")
    // The counts scikit-learn gives on the same rows.
    let expected = try Self.expected(model)
    func figure(_ test: String, _ key: String) throws -> (Int, Int) {
      let entry = try #require(expected[test] as? [String: Any])
      return (try #require(entry[key] as? Int), try #require(entry["tested"] as? Int))
    }
    for (name, test, key) in [
      (Self.sex, "inv_sex", "failing"), (Self.sexTolerance, "inv_sex", "failing_tol_0_1"),
      (Self.duration, "dir_duration", "failing"),
      (Self.durationTolerance, "dir_duration", "failing_tol_0_01"),
      (Self.safe, "mft_safe", "failing"), (Self.risky, "mft_risky", "failing"),
    ] {
      let counts = try #require(Self.counts(results[name]), "\(name)")
      let (failed, tested) = try figure(test, key)
      #expect(counts.failed == failed && counts.tested == tested, "\(model): \(name) \(counts)")
    }
    // Noise draws differ from numpy's: the rate agrees with the mean over 20 numpy seeds.
    let noise = try #require(expected["inv_noise"] as? [String: Any])
    let mean = try #require(noise["mean"] as? Double)
    let counts = try #require(Self.counts(results[Self.noise]))
    let rate = Double(counts.failed) / Double(counts.tested)
    let allowed = max(0.02, 4 * (mean * (1 - mean) / Double(counts.tested)).squareRoot())
    #expect(abs(rate - mean) <= allowed, "\(model): noise \(rate) against scikit-learn's \(mean)")
  }

  /// A failure names the row, the change and both answers, so the report alone reproduces it.
  @Test func failuresShowTheWorstRows() async throws {
    let results = try await run("defect-uses-sex.pkl")
    guard let message = results[Self.sex]?.failure, let details = results[Self.sex]?.details
    else {
      Issue.record("not failed: \(String(describing: results[Self.sex]))")
      return
    }
    #expect(message.hasPrefix("217 of 1000 rows fail (rate 0.2170, 95% CI"), "\(message)")
    let worst = #"worst: line \d+ of test.csv: Sex (male|female) → (male|female): "#
    #expect(message.range(of: worst, options: .regularExpression) != nil, "\(message)")
    #expect(details.contains("worst 3 cases:"), "\(details)")
    #expect(details.contains("changed by: swap Sex male ↔ female"), "\(details)")
  }
}
