import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// Attacks against a logistic model whose boundary is known.
///
/// The greedy search flips exactly
/// the rows whose best corner of the ε box (inside the data's bounds) crosses the boundary,
/// random noise never flips more, and the query budget is a hard limit. Serialized: the model
/// and the attacks run in this process, and one case at a time leaves the other tests' timers a
/// free thread.
@Suite(.serialized) struct AdversarialTests {
  struct Fixture {
    var directory: String
    var rows: [[Double]]
    var model: LinearModel
  }

  static let names = ["x1", "x2", "x3"]

  /// Writes `count` rows of three continuous features, labelled as the model predicts them.
  func fixture(seed: UInt64, count: Int = 300) throws -> Fixture {
    var random = SeededRandom(seed: seed, stream: "fixture")
    func uniform() -> Double { Double(random.next() >> 11) * 0x1p-53 }
    let model = LinearModel(
      weights: ["x1": 1 + 2 * uniform(), "x2": -(0.5 + uniform()), "x3": 3 * uniform() - 1.5],
      bias: uniform() - 0.5)
    var rows: [[Double]] = []
    var text = "x1,x2,x3,y\n"
    for _ in 0..<count {
      let row = (0..<3).map { _ in ((uniform() * 4 - 2) * 1000).rounded() / 1000 + 0.0005 }
      let logit = model.logit(row.map { .number($0) }, names: Self.names)
      rows.append(row)
      text += row.map { "\($0)" }.joined(separator: ",") + ",\(logit >= 0 ? "pos" : "neg")\n"
    }
    let directory = try TestEnvironment.temporaryDirectory()
    try text.write(toFile: directory + "/test.csv", atomically: true, encoding: .utf8)
    return Fixture(directory: directory, rows: rows, model: model)
  }

  func suite(_ fixture: Fixture, attack: String) throws -> Suite {
    try SuiteLoader(environment: { _ in nil }).parse(
      text: """
        name: attack
        seed: 11
        task: binary-classification
        label: y
        positive: pos
        data: { test: test.csv }
        model: { command: [never-started], batch: 50 }
        tests:
          adversarial:
            - \(attack)
        """, file: "attack.yml", directory: fixture.directory)
  }

  func run(_ suite: Suite, model: LinearModel) async throws -> (CheckReport, AttackSpec) {
    let config = try #require(suite.tests.adversarial)
    let check = AdversarialCheck(spec: config.attacks[0], space: config.space)
    let context = RunContext(suite: suite, model: model, progress: nil)
    return (try await check.run(context), config.attacks[0])
  }

  /// The rows the best attack within ε flips: moving each feature to the edge of its ε box
  /// (clipped to the data's range) against the row's side of the boundary crosses it.
  func optimalFlips(_ fixture: Fixture, space: FeatureSpace, epsilon: Double) -> Int {
    fixture.rows.filter { row in
      let values = row.map { DataValue.number($0) }
      let logit = fixture.model.logit(values, names: Self.names)
      var reach = 0.0
      for (column, name) in Self.names.enumerated() {
        let feature = space.features[column]
        let weight = fixture.model.weights[name] ?? 0
        let towards = (logit >= 0) == (weight > 0) ? -1.0 : 1.0
        let room =
          towards < 0
          ? row[column] - (feature.min ?? -.infinity) : (feature.max ?? .infinity) - row[column]
        reach += abs(weight) * min(epsilon * (feature.spread ?? 0), room)
      }
      return reach > abs(logit)
    }.count
  }

  static func flipped(_ report: CheckReport) -> Int? {
    guard let range = report.summary.range(of: #"\((\d+) of"#, options: .regularExpression) else {
      return nil
    }
    return Int(report.summary[range].dropFirst().split(separator: " ")[0])
  }

  @Test(arguments: [1, 2, 3, 4] as [UInt64])
  func greedyFlipsExactlyTheRowsTheBestChangeFlips(seed: UInt64) async throws {
    let fixture = try fixture(seed: seed)
    let suite = try suite(
      fixture, attack: "{ attack: greedy, epsilon: 0.3, rows: 1000, max_success_rate: 1 }")
    let (report, spec) = try await run(suite, model: fixture.model)
    let space = try #require(suite.tests.adversarial?.space)
    #expect(Self.flipped(report) == optimalFlips(fixture, space: space, epsilon: spec.epsilon))
    #expect(report.summary.contains("of 300 rows flipped"), "\(report.summary)")
  }

  @Test(arguments: [5, 6] as [UInt64])
  func noiseNeverFlipsMoreThanTheBestChange(seed: UInt64) async throws {
    let fixture = try fixture(seed: seed)
    let suite = try suite(
      fixture, attack: "{ attack: noise, epsilon: 0.3, rows: 1000, tries: 40, max_success_rate: 1 }"
    )
    let (report, spec) = try await run(suite, model: fixture.model)
    let space = try #require(suite.tests.adversarial?.space)
    let flipped = try #require(Self.flipped(report))
    let optimal = optimalFlips(fixture, space: space, epsilon: spec.epsilon)
    #expect(flipped <= optimal && flipped > 0, "noise \(flipped), optimum \(optimal)")
  }

  /// Against labels only, HopSkipJump flips no row the best change cannot flip, and finds most
  /// of those the best change flips by a wide margin.
  @Test(arguments: [9, 10] as [UInt64])
  func hopSkipJumpNeedsOnlyLabels(seed: UInt64) async throws {
    var fixture = try fixture(seed: seed)
    fixture.model.labelsOnly = true
    let labelOnly = try suite(
      fixture, attack: "{ attack: hop_skip_jump, epsilon: 0.4, rows: 1000, max_success_rate: 1 }")
    let (report, spec) = try await run(labelOnly, model: fixture.model)
    let space = try #require(labelOnly.tests.adversarial?.space)
    let flipped = try #require(Self.flipped(report))
    let optimal = optimalFlips(fixture, space: space, epsilon: spec.epsilon)
    let easy = optimalFlips(fixture, space: space, epsilon: spec.epsilon / 2)
    #expect(flipped <= optimal, "hop_skip_jump \(flipped), optimum \(optimal)")
    #expect(flipped >= easy * 8 / 10, "hop_skip_jump \(flipped), flippable within ε/2: \(easy)")
    let greedy = try suite(fixture, attack: "{ attack: greedy, epsilon: 0.4, max_success_rate: 1 }")
    var text = ""
    do {
      _ = try await run(greedy, model: fixture.model)
    } catch {
      text = "\(error)"
    }
    #expect(text.contains("use 'attack: noise'"), "\(text)")
  }

  @Test func theQueryBudgetIsAHardLimit() async throws {
    let fixture = try fixture(seed: 7)
    let suite = try suite(
      fixture,
      attack: "{ attack: greedy, epsilon: 2, rows: 1000, max_queries: 4, max_success_rate: 1 }")
    let (report, _) = try await run(suite, model: fixture.model)
    // The original rows are scored once (300), then at most 4 candidates per row.
    #expect(fixture.model.rowsScored.value <= 300 + 300 * 4)
    #expect(report.summary.contains("out of budget"), "\(report.summary)")
  }

  @Test func theSameSeedGivesTheSameAttack() async throws {
    let fixture = try fixture(seed: 8)
    let suite = try suite(
      fixture, attack: "{ attack: noise, epsilon: 0.2, rows: 100, max_success_rate: 0.5 }")
    let first = try await run(suite, model: fixture.model).0
    let second = try await run(suite, model: fixture.model).0
    #expect(first.summary == second.summary)
    #expect(first.outcome == second.outcome)
  }

  @Test(
    "mistakes are suite errors at their line",
    arguments: [
      (
        "{ attack: boundary, epsilon: 1, max_success_rate: 0.1 }",
        "use hop_skip_jump"
      ),
      ("{ attack: greedy, max_success_rate: 0.1 }", "an attack needs 'epsilon:'"),
      ("{ attack: greedy, epsilon: 0.5 }", "an attack needs a bound"),
      (
        "{ attack: greedy, epsilon: 0.5, immutable: [x9], max_success_rate: 0.1 }",
        "'x9' is not a feature"
      ),
      (
        "{ attack: greedy, epsilon: 0.5, immutable: [x1, x2, x3], max_success_rate: 0.1 }",
        "the attack may change no feature"
      ),
      (
        "{ attack: noise, epsilon: 0.5, grid: [0.7], max_success_rate: 0.1 }",
        "a grid value lies in (0, epsilon]"
      ),
    ])
  func mistakes(attack: String, message: String) throws {
    let fixture = try fixture(seed: 1, count: 30)
    var text = ""
    do {
      _ = try suite(fixture, attack: attack)
    } catch {
      text = "\(error)"
    }
    #expect(text.hasPrefix("attack.yml:10:"), "\(text)")
    #expect(text.contains(message), "\(text)")
  }
}
