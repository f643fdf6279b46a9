import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// Prediction drift with the real scikit-learn models served by `ci/serve_model.py`, against
/// `ci/prediction_drift_expected.py` (the same pickles scored in Python; numpy and scipy): the
/// candidate's scores move on `drift-predictions.csv` (longer loans, more overdrawn accounts)
/// and its payload-log excerpt, and stay on the test data, the resample and `drift-shifted.csv`
/// (whose shifts cancel out in the score); the wine model's classes and the diabetes model's
/// values as the categorical and regression paths.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled)) struct PredictionDriftFixtureTests {
  static var pairs: [String: Any] {
    let url = URL(
      fileURLWithPath: TestEnvironment.path("fixtures/credit/expected-prediction-drift.json"))
    let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
    let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return root["pairs"] as? [String: Any] ?? [:]
  }

  static let models: [String: (label: String, task: String, model: String)] = [
    "credit": ("Risk", "binary-classification\npositive: Risk", "candidate.pkl"),
    "wine": ("cultivar", "multiclass", "model.pkl"),
    "diabetes": ("progression", "regression", "model.pkl"),
  ]

  func close(_ a: Double?, _ b: Any?, relative: Double = 1e-9) -> Bool {
    guard let a, let b = b as? Double else { return false }
    return abs(a - b) <= max(1e-12, relative * abs(b))
  }

  /// A drift source: the data roles by name (scored labelled, shared), other files as files.
  func source(_ file: String) -> String {
    switch file {
    case "train.csv": return "reference"
    case "test.csv": return "test"
    default: return file
    }
  }

  /// The suite of `model` comparing `reference` with `current`.
  func suite(_ model: String, _ reference: String, _ current: String) throws -> Suite {
    let spec = try #require(Self.models[model])
    let python = TestEnvironment.python ?? "python3"
    let text = """
      name: prediction-drift
      seed: 7
      task: \(spec.task)
      label: \(spec.label)
      data: { reference: train.csv, test: test.csv }
      model: { command: [\(python), \(TestEnvironment.path("ci/serve_model.py")), \(spec.model)], batch: 256 }
      tests: { drift: { reference: \(source(reference)), current: \(source(current)) } }
      """
    return try SuiteLoader(environment: { _ in nil }).parse(
      text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/\(model)"))
  }

  @Test(arguments: [
    ("credit", "train.csv", "test.csv"), ("credit", "train.csv", "drift-predictions.csv"),
    ("credit", "train.csv", "drift-shifted.csv"), ("credit", "train.csv", "drift-resample.csv"),
    ("credit", "test.csv", "drift-predictions.csv"), ("credit", "test.csv", "payloads.jsonl"),
    ("wine", "train.csv", "test.csv"), ("diabetes", "train.csv", "test.csv"),
  ])
  func figuresEqualScipysOnTheSameModelsPredictions(
    _ model: String, _ reference: String, _ current: String
  ) async throws {
    let key =
      "\(model):\(URL(fileURLWithPath: reference).deletingPathExtension().lastPathComponent)->\(URL(fileURLWithPath: current).deletingPathExtension().lastPathComponent)"
    let want = try #require(Self.pairs[key] as? [String: Any], "\(key)")
    let suite = try suite(model, reference, current)
    let models = Runner.models(of: suite)
    let context = RunContext(suite: suite, models: models, progress: nil)
    do {
      try await compare(key, want, suite: suite, context: context)
    } catch {
      for model in models.values { await model.shutdown() }
      throw error
    }
    for model in models.values { await model.shutdown() }
  }

  /// Every method's figures of one pair against the expected ones.
  func compare(_ key: String, _ want: [String: Any], suite: Suite, context: RunContext)
    async throws
  {
    var config = try #require(suite.tests.drift)
    #expect(config.prediction)
    for method in [DriftConfig.Method.auto, .test, .distance] {
      config.method = method
      // Both files are scored once: later methods reuse the run's scorings.
      let (figures, subject) = try await DriftFigures.predictions(config, context)
      let figure = try #require(figures.features.first)
      let label = "\(key) \(method)"
      #expect(figures.referenceRows == want["n_ref"] as? Int, "\(label)")
      #expect(figures.currentRows == want["n_cur"] as? Int, "\(label)")
      #expect(figure.kind.rawValue == want["kind"] as? String, "\(label)")
      switch (subject, want["subject"] as? String) {
      case (.score(positive: "Risk"), "score"), (.predictedClass, "class"), (.value, "value"): break
      default: Issue.record("\(label): \(subject) for \(want["subject"] ?? "nothing")")
      }
      let psi = want["psi"] as? [String: Any] ?? [:]
      #expect(close(figure.psi, psi["psi"]), "\(label): \(figure.psi)")
      let old = psi["ref_shares"] as? [Double] ?? []
      let new = psi["cur_shares"] as? [Double] ?? []
      #expect(figure.bins.count == old.count && old.count == new.count, "\(label)")
      for (bin, (old, new)) in zip(figure.bins, zip(old, new)) {
        #expect(close(bin.reference, old) && close(bin.current, new), "\(label) \(bin.label)")
      }
      let usesTests = method == .test || (method == .auto && want["path"] as? String == "test")
      #expect(figures.usesTests == usesTests, "\(label)")
      if usesTests {
        let test = want["test"] as? [String: Any] ?? [:]
        #expect(close(figure.test?.statistic, test["d"] ?? test["chi2"]), "\(label)")
        #expect(close(figure.test?.p, test["p"], relative: 1e-6), "\(label)")
        #expect(figure.adjustedP == nil, "\(label): one question, not Holm-adjusted")
        #expect(figure.distance == nil)
      } else {
        let distance = want["distance"] as? [String: Any] ?? [:]
        #expect(close(figure.distance?.value, distance["value"]), "\(label)")
        #expect(figure.test == nil)
      }
      if let median = want["median_ref"] as? Double, let now = want["median_cur"] as? Double {
        #expect(figure.centre.reference == TextFormat.compact(median), "\(label)")
        #expect(figure.centre.current == TextFormat.compact(now), "\(label)")
      }
      guard method == .auto else { continue }
      let verdict = DriftVerdict(figure, config)
      let mine = verdict.outcome.rawValue
      #expect(mine == want["verdict"] as? String, "\(label): \(verdict.reasons)")
      let planted = key.hasSuffix("drift-predictions") || key.hasSuffix("payloads")
      #expect((mine == "fail") == planted, "\(label)")
    }
  }

  /// Runs a credit suite with the candidate and drift from train.csv to `current`.
  func run(current: String, model: String? = nil) async throws -> [String: ReportCase] {
    let directory = try TestEnvironment.temporaryDirectory()
    let credit = TestEnvironment.path("fixtures/credit")
    let python = TestEnvironment.python ?? "python3"
    let serve = TestEnvironment.path("ci/serve_model.py")
    let model = model ?? "[\(python), \(serve), \(credit)/candidate.pkl]"
    let suite = """
      version: 1
      name: prediction-drift
      seed: 7
      task: binary-classification
      label: Risk
      positive: Risk
      data: { reference: \(credit)/train.csv, test: \(credit)/test.csv }
      model: { command: \(model), batch: 256 }
      tests:
        drift: { current: \(current) }
      """
    try suite.write(toFile: directory + "/s.yml", atomically: true, encoding: .utf8)
    return try await ReportCase.run(directory + "/s.yml").cases
  }

  /// The planted defect: the candidate's scores on `drift-predictions.csv` drift (PSI 0.37 on
  /// the training data's deciles), while only two of the twenty features drift, so the
  /// dataset-level case, which does not count the predictions, passes.
  @Test func aShiftThatMovesTheScoresFailsThePredictionCaseOnly() async throws {
    let cases = try await run(
      current: TestEnvironment.path("fixtures/credit/drift-predictions.csv"))
    #expect(cases.count == 22, "\(cases.keys.sorted())")
    let case_ = try #require(cases["no drift in the predictions"])
    let message = try #require(case_.failure, "\(case_)")
    #expect(
      message.hasPrefix(
        "the predictions drifted: PSI 0.3651 ≥ 0.25; Wasserstein distance in reference standard deviations 0.6514 ≥ 0.1 ("
      ), "\(message)")
    #expect(
      message.hasSuffix(
        "train.csv → \(TestEnvironment.path("fixtures/credit/drift-predictions.csv")); median score for Risk 0.253261 → 0.491707)"
      ), "\(message)")
    #expect(case_.details.contains("compared: the model's score for Risk on each row"))
    #expect(case_.details.contains("(0.722, ∞]: 10% → 27.3%"), "\(case_.details)")
    let failed = Set(cases.filter { $0.value.failure != nil }.map(\.key))
    #expect(
      failed == [
        "no drift in LoanDuration", "no drift in CheckingStatus", "no drift in the predictions",
      ])
    #expect(cases["fewer than 50% of the features drift"]?.passed == true)
    #expect(
      cases["fewer than 50% of the features drift"]?.output.contains("2 of 20 features") == true)
  }

  /// The healthy twin: the test data against the training data.
  @Test func theTestDataPasses() async throws {
    let cases = try await run(current: "test")
    #expect(cases.count == 22)
    let case_ = try #require(cases["no drift in the predictions"])
    #expect(case_.passed, "\(case_)")
    #expect(case_.output.contains("PSI 0.0129 over 10 reference-decile bins"), "\(case_.output)")
  }

  /// A model that answers every request with an error gives the prediction case an `<error>`;
  /// the feature cases, which need no model, still pass.
  @Test func aFailingModelIsAnErrorNotAPass() async throws {
    let directory = try TestEnvironment.temporaryDirectory()
    let script = """
      import json, sys
      for line in sys.stdin:
          request = json.loads(line)
          print(json.dumps({"id": request["id"], "error": "ValueError: no model today"}), flush=True)
      """
    try script.write(toFile: directory + "/refuse.py", atomically: true, encoding: .utf8)
    let python = TestEnvironment.python ?? "python3"
    let cases = try await run(current: "test", model: "[\(python), \(directory)/refuse.py]")
    let case_ = try #require(cases["no drift in the predictions"])
    #expect(case_.error?.contains("no model today") == true, "\(case_)")
    #expect(cases["no drift in Age"]?.passed == true)
  }
}
