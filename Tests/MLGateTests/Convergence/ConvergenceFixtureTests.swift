import Foundation
import Testing

@testable import MLGate

/// Every series of the loss-history fixtures (real scikit-learn MLP and LightGBM runs in five
/// formats, and crafted diverging, plateauing, NaN, overfitting, spiking and short logs) judged
/// by ``ConvergenceAnalysis`` exactly as `ci/convergence_expected.py` judged it with
/// pymannkendall, scipy and numpy: the same verdict for every check and the same figures.
@Suite struct ConvergenceFixtureTests {
  static let steps: [String: ConvergenceAnalysis.Step] = [
    "finite": .finite, "enough_points": .enoughPoints, "relative_drop": .relativeDrop,
    "trend": .trend, "no_divergence": .noDivergence, "spikes": .spikes,
    "improving": .improving, "overfitting": .overfitting,
  ]

  static let outcomes: [String: ConvergenceAnalysis.Outcome] = [
    "pass": .pass, "fail": .fail, "warn": .warn, "inconclusive": .inconclusive,
    "not_run": .notRun,
  ]

  /// Each fixture series with its expected figures.
  static func series() -> [(file: String, series: String, expected: [String: Any])] {
    let files = ConvergenceStatisticsTests.expected["files"] as? [String: Any] ?? [:]
    var all: [(String, String, [String: Any])] = []
    for (file, entry) in files.sorted(by: { $0.key < $1.key }) {
      let series = (entry as? [String: Any])?["series"] as? [String: Any] ?? [:]
      for (name, expected) in series.sorted(by: { $0.key < $1.key }) {
        all.append((file, name, expected as? [String: Any] ?? [:]))
      }
    }
    return all
  }

  func analyse(_ file: String, _ name: String, validation: String?) throws -> ConvergenceAnalysis {
    let reader = HistoryReader(
      path: TestEnvironment.path("fixtures/histories/" + file), displayName: file)
    let series = try reader.read(name)
    let partner = try validation.map { try reader.read($0, axis: series.axis) }
    return ConvergenceAnalysis(series: series, validation: partner, criteria: ConvergenceCriteria())
  }

  @Test func everyFixtureSeriesIsJudgedAsScipyJudgesIt() throws {
    let all = Self.series()
    #expect(all.count >= 30)
    var compared = 0
    for (file, name, expected) in all {
      let label = "\(file) \(name)"
      let analysis = try analyse(file, name, validation: expected["validation_partner"] as? String)
      #expect(analysis.series.count == expected["n"] as? Int, "\(label)")
      let checks = expected["checks"] as? [String: [String: Any]] ?? [:]
      for (key, figures) in checks {
        let step = try #require(Self.steps[key], "\(key)")
        let want = Self.outcomes[figures["verdict"] as? String ?? ""]
        let found = analysis.findings.first { $0.step == step }
        compared += 1
        #expect(found?.outcome == want, "\(label) \(key): \(found?.message ?? "missing")")
      }
      let overall = expected["verdict"] as? String
      let mine: String
      switch analysis.outcome {
      case .fail: mine = "fail"
      case .inconclusive: mine = "inconclusive"
      case .pass, .warn, .notRun: mine = "pass"
      }
      #expect(mine == overall, "\(label)")
      try compareFigures(analysis, checks, label)
    }
    #expect(compared >= 200, "every check of every series was compared")
  }

  func compareFigures(
    _ analysis: ConvergenceAnalysis, _ checks: [String: [String: Any]], _ label: String
  ) throws {
    let close = ConvergenceStatisticsTests.close
    if let trend = checks["trend"], let test = analysis.trend?.test,
      let slope = analysis.trend?.slope
    {
      #expect(test.n == trend["m"] as? Int, "\(label)")
      #expect(test.s == trend["s"] as? Double, "\(label)")
      // Ties among detrended values hang on the last bit of a float: 1e-2 relative at most.
      #expect(close(test.variance, trend["var_s"] as? Double, 1e-2, 1e-12), "\(label) var_s")
      #expect(close(test.z, trend["z"] as? Double, 1e-2, 1e-12), "\(label) z")
      let sen = trend["sen"] as? [String: Double] ?? [:]
      #expect(close(slope.slope, sen["slope"], 1e-9, 1e-15), "\(label) slope")
      #expect(close(slope.lower, sen["low"], 1e-9, 1e-15), "\(label) low")
      #expect(close(slope.upper, sen["high"], 1e-9, 1e-15), "\(label) high")
    }
    if let drop = checks["relative_drop"],
      let message = analysis.findings.first(where: {
        $0.step == .relativeDrop
      })?.message, let rate = drop["rel_drop"] as? Double
    {
      #expect(message.contains(TextFormat.percent(rate)), "\(label): \(message)")
    }
    if let spikes = checks["spikes"], let xs = spikes["spike_x"] as? [Double] {
      #expect(analysis.spikes.map { analysis.series.x[$0] } == xs, "\(label)")
    }
    if let divergence = checks["no_divergence"], let bestX = divergence["best_x"] as? Double,
      let message = analysis.findings.first(where: { $0.step == .noDivergence })?.message
    {
      #expect(
        message.contains("at \(analysis.series.axis.rawValue) \(LossSeries.label(bestX))"),
        "\(label): \(message)")
    }
    if let finite = checks["finite"], let x = finite["first_nonfinite_x"] as? Double {
      #expect(analysis.nonFinite.map { analysis.series.x[$0] } == x, "\(label)")
    }
  }

  @Test func theSameRunReadsTheSameInEveryFormat() throws {
    let formats = [
      "mlp/keras.csv", "mlp/history.jsonl", "mlp/keras-history.json",
      "mlp/mlruns/0/3f9a1c7e52b84d06a1e8c4b2d7f05e93",
    ]
    let read = try formats.map { file in
      try HistoryReader(path: TestEnvironment.path("fixtures/histories/" + file), displayName: file)
        .read("loss")
    }
    for series in read.dropFirst() {
      #expect(series.values == read[0].values)
      #expect(series.x == read[0].x)
    }
    let lightning = HistoryReader(
      path: TestEnvironment.path("fixtures/histories/mlp/lightning/metrics.csv"),
      displayName: "metrics.csv")
    #expect(try lightning.read("train_loss_epoch").axis == .epoch)
    #expect(try lightning.read("train_loss_step").axis == .step)
    #expect(try lightning.read("val_loss").count == 40)
  }

  @Test(arguments: [
    (
      "crafted/nan.csv", "lost",
      "no column 'lost' (the header has: epoch, loss, val_loss) — did you mean 'loss'?"
    ),
    ("crafted/missing.csv", "loss", "crafted/missing.csv: no such file or folder"),
    (
      "lightgbm/evals_result.json", "training.auc",
      "no series 'training.auc' (the file has: training.binary_logloss, valid_1.binary_logloss)"
    ),
    ("mlp/mlruns/0/3f9a1c7e52b84d06a1e8c4b2d7f05e93", "accuracy", "cannot read the MLflow metric"),
  ])
  func aSeriesThatIsNotThereIsNamed(_ file: String, _ name: String, _ message: String) {
    let reader = HistoryReader(
      path: TestEnvironment.path("fixtures/histories/" + file), displayName: file)
    #expect {
      _ = try reader.read(name)
    } throws: { error in
      "\(error)".contains(message)
    }
  }

  @Test func stepsOutOfOrderAreRefusedAtTheirLine() throws {
    let directory = try TestEnvironment.temporaryDirectory()
    try "epoch,loss\n0,1.0\n1,0.9\n1,0.8\n".write(
      toFile: directory + "/h.csv", atomically: true, encoding: .utf8)
    #expect {
      _ = try HistoryReader(path: directory + "/h.csv", displayName: "h.csv").read("loss")
    } throws: { error in
      "\(error)".hasPrefix("h.csv:4:") && "\(error)".contains("epoch 1 does not follow 1")
    }
  }
}

/// Mistakes in a convergence section: suite errors at their line, before anything runs.
@Suite struct ConvergenceConfigTests {
  @Test(arguments: [
    ("[]", "'convergence' lists no history"),
    ("[{ series: loss }]", "a convergence test needs 'log:'"),
    ("[{ log: h.csv, seris: loss }]", "did you mean 'series'"),
    (
      "[{ log: h.csv, overfitting: maybe }]",
      "'overfitting' is one of 'fail', 'warn', found 'maybe'"
    ),
    ("[{ log: h.csv, x: epochs }]", "'x' is one of 'epoch', 'step', 'round', found 'epochs'"),
    ("[{ log: h.csv, spike_factor: 1 }]", "'spike_factor' must be above 1"),
    ("[{ log: h.csv, min_relative_drop: 2 }]", "'min_relative_drop' must be between 0 and 1"),
    (
      "[{ log: h.csv, format: tensorboard }]",
      "'format' is one of 'csv', 'jsonl', 'keras_history', 'evals_result', 'mlflow'"
    ),
    (
      "[{ log: h.csv }, { log: h.csv }]",
      "a convergence test named 'loss converges in h.csv' is already defined"
    ),
  ])
  func mistakesAreSuiteErrorsAtTheirLine(_ section: String, _ expected: String) {
    let text = "version: 1\nname: s\ntests:\n  convergence: \(section)\n"
    #expect {
      _ = try SuiteLoader().parse(text: text, file: "s.yml", directory: "/tmp")
    } throws: { error in
      "\(error)".contains(expected) && "\(error)".hasPrefix("s.yml:4:")
    }
  }
}
