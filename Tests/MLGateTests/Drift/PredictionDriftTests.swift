import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// Prediction drift in process: when the case exists, which scoring feeds it (the run's shared
/// labelled scoring, or the unlabelled one for payload logs and files without the label), what
/// each task compares, and a failing model as an error.
@Suite struct PredictionDriftTests {
  /// A model that fails every request.
  struct RefusingModel: Model {
    var displayName: String { "refusing" }
    func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
      throw ModelError(.model, "no predictions today")
    }
    func shutdown() async {}
  }

  /// A directory with `reference.csv` (x, y and the label), `test.csv` (the same columns),
  /// `payload.jsonl` (x and y only, x shifted by `shift`) and `features.csv` (no label).
  func files(shift: Double = 1.5) throws -> String {
    let directory = try TestEnvironment.temporaryDirectory()
    func x(_ row: Int) -> Double { Double(row % 50) / 10 - 2.5 }
    var reference = "x,y,label\n"
    var features = "x,y\n"
    for row in 0..<300 {
      reference += "\(x(row)),\(row % 7),\(x(row) > 0 ? "pos" : "neg")\n"
      features += "\(x(row)),\(row % 7)\n"
    }
    var test = "x,y,label\n"
    for row in 0..<200 { test += "\(x(row * 3)),\(row % 5),\(x(row * 3) > 0 ? "pos" : "neg")\n" }
    var payload = ""
    for row in 0..<150 { payload += "{\"x\": \(x(row) + shift), \"y\": \(row % 7)}\n" }
    try reference.write(toFile: directory + "/reference.csv", atomically: true, encoding: .utf8)
    try features.write(toFile: directory + "/features.csv", atomically: true, encoding: .utf8)
    try test.write(toFile: directory + "/test.csv", atomically: true, encoding: .utf8)
    try payload.write(toFile: directory + "/payload.jsonl", atomically: true, encoding: .utf8)
    return directory
  }

  func suite(
    _ drift: String, task: String = "binary-classification\npositive: pos",
    model: String? = "{ command: [unused], batch: 32 }", reference: String = "reference.csv",
    directory: String? = nil, quality: Bool = false
  ) throws -> Suite {
    var text = """
      name: s
      seed: 11
      task: \(task)
      label: label
      data: { reference: \(reference), test: test.csv }

      """
    if let model { text += "model: \(model)\n" }
    text += "tests:\n  drift: \(drift)\n"
    if quality { text += "  quality: { accuracy: 0.5 }\n" }
    return try SuiteLoader(environment: { _ in nil }).parse(
      text: text, file: "inline.yml", directory: try directory ?? files())
  }

  func names(_ suite: Suite) -> [String] { Runner.checks(of: suite).map(\.name) }

  @Test func theCaseComesWithAModelAndNotWithout() throws {
    let withModel = try suite("{ current: test }")
    #expect(withModel.tests.drift?.prediction == true)
    #expect(names(withModel).last == "no drift in the predictions")
    #expect(names(withModel).filter { $0 == "no drift in the predictions" }.count == 1)
    let off = try suite("{ current: test, prediction: false }")
    #expect(off.tests.drift?.prediction == false)
    #expect(!names(off).contains("no drift in the predictions"))
    let none = try suite("{ current: test }", task: "binary-classification", model: nil)
    #expect(none.tests.drift?.prediction == false)
    #expect(
      names(none) == ["no drift in x", "no drift in y", "fewer than 50% of the features drift"])
  }

  @Test func predictionTrueWithoutAModelIsASuiteErrorAtItsLine() throws {
    let error = try #require(throws: SuiteError.self) {
      try suite("{ current: test, prediction: true }", task: "binary-classification", model: nil)
    }
    #expect(error.position.line == 7, "\(error)")
    #expect(error.message.contains("the suite has no model"), "\(error)")
  }

  @Test func aSnapshotCandidateIsNotAskedForOtherFiles() throws {
    let directory = try files()
    try "{}\n".write(toFile: directory + "/snap.jsonl", atomically: true, encoding: .utf8)
    let snapshot = try suite(
      "{ current: test }", model: "{ snapshot: snap.jsonl }", directory: directory)
    #expect(snapshot.tests.drift?.prediction == false)
    let error = try #require(throws: SuiteError.self) {
      try suite(
        "{ current: test, prediction: true }", model: "{ snapshot: snap.jsonl }",
        directory: directory)
    }
    #expect(error.message.contains("a snapshot answers only for the data it was taken on"))
  }

  /// The scores of `x` under the linear model of weight 2.
  func scores(_ x: [Double]) -> [Double] { x.map { 1 / (1 + exp(-2 * $0)) } }

  @Test func aPayloadLogWithoutTheLabelIsScoredUnlabelled() async throws {
    let suite = try suite("{ current: payload.jsonl, min_rows: 100 }")
    let model = LinearModel(weights: ["x": 2], bias: 0)
    let context = RunContext(suite: suite, model: model, progress: nil)
    let config = try #require(suite.tests.drift)
    let report = try await PredictionDriftCheck(config: config).run(context)
    let test = try #require(suite.data.test)
    let directory = URL(fileURLWithPath: test.path).deletingLastPathComponent()
    let payload = try await context.predicted(
      DataConfig.File(
        path: directory.appendingPathComponent("payload.jsonl").path, displayName: "p"))
    guard case .scores(let found, positive: "pos") = payload.values else {
      Issue.record("\(payload.values)")
      return
    }
    let x = (0..<150).map { Double($0 % 50) / 10 - 2.5 + 1.5 }
    #expect(zip(found, scores(x)).allSatisfy { abs($0 - $1) < 1e-12 })
    // The reference (labelled, a data role) once and the payload log once.
    #expect(model.rowsScored.value == 450)
    guard case .failed(let message, let details) = report.outcome else {
      Issue.record("\(report.outcome)")
      return
    }
    #expect(message.hasPrefix("the predictions drifted: PSI "), "\(message)")
    #expect(message.contains("(reference.csv → payload.jsonl; median score for pos "), "\(message)")
    #expect(details.contains("Kolmogorov–Smirnov D"), "\(details)")
    #expect(!details.contains("Holm"), "\(details)")
  }

  @Test func aRoleWithLabelsReusesTheRunsScoring() async throws {
    let suite = try suite("{ current: test }", quality: true)
    let model = LinearModel(weights: ["x": 2], bias: 0)
    let context = RunContext(suite: suite, model: model, progress: nil)
    let scored = try await context.scored(.test)
    #expect(model.rowsScored.value == 200)
    let config = try #require(suite.tests.drift)
    let (figures, subject) = try await DriftFigures.predictions(config, context)
    #expect(subject == .score(positive: "pos"))
    #expect(model.rowsScored.value == 500, "the test data is not scored twice")
    _ = try await DriftFigures.predictions(config, context)
    #expect(model.rowsScored.value == 500)
    #expect(figures.currentRows == scored.rows)
    let report = try await PredictionDriftCheck(config: config).run(context)
    #expect(report.outcome == .passed, "\(report.summary)")
  }

  @Test func aRoleWithoutTheLabelColumnIsScoredUnlabelled() async throws {
    let suite = try suite("{ current: test }", reference: "features.csv")
    let model = LinearModel(weights: ["x": 2], bias: 0)
    let context = RunContext(suite: suite, model: model, progress: nil)
    let config = try #require(suite.tests.drift)
    let (figures, _) = try await DriftFigures.predictions(config, context)
    #expect(figures.referenceRows == 300)
    #expect(figures.referenceName == "features.csv")
    #expect(model.rowsScored.value == 500)
  }

  @Test func labelsOnlyAreComparedAsClasses() async throws {
    let suite = try suite("{ current: payload.jsonl, min_rows: 100 }")
    let context = RunContext(
      suite: suite, model: LinearModel(weights: ["x": 2], bias: 0, labelsOnly: true),
      progress: nil)
    let config = try #require(suite.tests.drift)
    let (figures, subject) = try await DriftFigures.predictions(config, context)
    #expect(subject == .predictedClass)
    let figure = try #require(figures.features.first)
    #expect(figure.kind == .categorical)
    #expect(figure.bins.map(\.label) == ["neg", "pos"])
    #expect(figure.test?.name == "χ²")
    guard
      case .failed(let message, _) = try await PredictionDriftCheck(config: config).run(
        context
      ).outcome
    else {
      Issue.record("no failure")
      return
    }
    #expect(message.contains("most common prediction neg (50%) → pos (80%)"), "\(message)")
  }

  @Test func regressionComparesThePredictedValues() async throws {
    let suite = try suite(
      "{ current: payload.jsonl, min_rows: 100, method: distance }", task: "regression",
      reference: "features.csv")
    let context = RunContext(suite: suite, model: EchoModel(), progress: nil)
    let config = try #require(suite.tests.drift)
    let (figures, subject) = try await DriftFigures.predictions(config, context)
    #expect(subject == .value)
    let figure = try #require(figures.features.first)
    // The echo model predicts x itself: the predictions drift as x does.
    let x = (0..<300).map { Double($0 % 50) / 10 - 2.5 }
    let shifted = (0..<150).map { Double($0 % 50) / 10 - 2.5 + 1.5 }
    let expected =
      DriftStatistics.wasserstein(x, shifted) / DriftStatistics.standardDeviation(x)
    #expect(abs((figure.distance?.value ?? 0) - expected) < 1e-12)
  }

  @Test func aFailingModelIsAnError() async throws {
    let suite = try suite("{ current: payload.jsonl }")
    let context = RunContext(suite: suite, model: RefusingModel(), progress: nil)
    let check = PredictionDriftCheck(config: try #require(suite.tests.drift))
    do {
      _ = try await check.run(context)
      Issue.record("a failing model passed")
    } catch {
      guard case .error(let kind, let message, _) = Runner.outcome(for: error) else {
        Issue.record("\(error)")
        return
      }
      #expect(kind == .model)
      #expect(message.contains("no predictions today"), "\(message)")
    }
  }

  @Test func aSampleIsDrawnFromTheSuitesSeedAlike() throws {
    let file = DataConfig.File(path: "/nowhere", displayName: "f")
    let many = (0..<5_000).map { sin(Double($0)) }
    let shifted = many.map { $0 + 0.1 }
    var config = try #require(try suite("{ current: test }").tests.drift)
    config.sample = 500
    func figures(_ seed: UInt64) throws -> DriftFigures.Feature? {
      try DriftFigures.compare(
        PredictedColumn(values: .values(many), file: file),
        PredictedColumn(values: .values(shifted), file: file), config: config, seed: seed
      ).0.features.first
    }
    let once = try #require(try figures(7))
    let again = try #require(try figures(7))
    let other = try #require(try figures(8))
    #expect(once.distance?.value == again.distance?.value)
    #expect(once.psi == again.psi)
    #expect(once.distance?.value != other.distance?.value)
  }
}
