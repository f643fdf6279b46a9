import Benchmark
import Foundation
import MLGate

/// Micro-benchmarks of mlgate's hot code.
///
/// The bootstrap engine, DeLong, Mann–Kendall, the JSON parser and the CSV reader, on seeded
/// synthetic data. Run with `ci/bench-micro`; whole runs are `ci/bench`.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
    maxDuration: .seconds(10), maxIterations: 20)

  let rows = 100_000
  let evaluation = Synthetic.evaluation(rows: rows, seed: 1, skill: 1.2)
  let baseline = Synthetic.evaluation(rows: rows, seed: 1, skill: 1.0)
  let engine = MetricEngine(evaluation)
  let baselineEngine = MetricEngine(baseline)

  Benchmark("bootstrap: 7 metrics, 100 000 rows, 200 resamples") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(
        Bootstrap(resamples: 200, level: 0.95, seed: 7).intervals(
          [
            .areaUnderROC, .areaUnderPR, .accuracy, .f1Measure, .logLoss, .brierScore,
            .matthewsCorrelation,
          ], engine: engine))
    }
  }

  Benchmark("bootstrap: confusion metrics from the cells, 100 000 rows, 2 000 resamples") {
    benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(
        Bootstrap(resamples: 2000, level: 0.95, seed: 7).intervals(
          [.accuracy, .f1Measure, .matthewsCorrelation], engine: engine))
    }
  }

  Benchmark("paired bootstrap: f1, log loss, brier, 100 000 rows, 200 resamples") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(
        PairedBootstrap(resamples: 200, seed: 7, stream: "bench").differences(
          [.f1Measure, .logLoss, .brierScore], candidate: engine, baseline: baselineEngine))
    }
  }

  let labels = Synthetic.labels(evaluation)
  let scores = Synthetic.scores(evaluation)
  let baselineScores = Synthetic.scores(baseline)
  Benchmark("DeLong: two correlated AUCs, 100 000 rows") { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(DeLong(positive: labels, first: baselineScores, second: scores))
    }
  }

  let series = (0..<2000).map { 1 / Double($0 + 1) + 0.001 * sin(Double($0)) }
  Benchmark("Mann–Kendall (Hamed–Rao): 2 000 points") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(MannKendall.hamedRao(series)) }
  }

  let answer = Synthetic.modelAnswer(rows: 1024)
  Benchmark("JSON: parse a 1 024-row model answer") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try JSONParser.parse(answer)) }
  }

  let csv = Synthetic.csvFile(rows: 30_000)
  Benchmark("CSV: read 30 000 rows of 21 columns") { benchmark in
    for _ in benchmark.scaledIterations {
      let reader = try TableReader(path: csv, displayName: "bench.csv", missingValues: [""])
      var count = 0
      while let row = try reader.next() { count += row.values.count }
      blackHole(count)
    }
  }
}

/// Seeded synthetic inputs.
enum Synthetic {
  /// A binary evaluation whose scores separate the classes by `skill` standard deviations.
  static func evaluation(rows: Int, seed: UInt64, skill: Double) -> Evaluation {
    var truthRandom = SeededRandom(seed: seed, stream: "truth")
    var noise = SeededRandom(seed: seed, stream: "noise \(skill)")
    var truth: [Int] = []
    var probabilities: [Double] = []
    for _ in 0..<rows {
      let label = truthRandom.next() % 3 == 0 ? 1 : 0
      let u = Double(noise.next() >> 11) * 0x1p-53
      let logit = (Double(label) - 0.5) * skill + (u - 0.5) * 4
      let p = 1 / (1 + exp(-logit))
      truth.append(label)
      probabilities += [1 - p, p]
    }
    let predicted = (0..<rows).map { probabilities[2 * $0 + 1] >= 0.5 ? 1 : 0 }
    return .classification(
      ClassificationData(
        classes: ["no", "yes"], truth: truth, predicted: predicted, probabilities: probabilities,
        positive: 1))
  }

  static func labels(_ evaluation: Evaluation) -> [Bool] {
    guard case .classification(let data) = evaluation else { return [] }
    return data.truth.map { $0 == 1 }
  }

  static func scores(_ evaluation: Evaluation) -> [Double] {
    guard case .classification(let data) = evaluation else { return [] }
    return data.positiveScores ?? []
  }

  /// A command model's answer for `rows` rows, as bytes.
  static func modelAnswer(rows: Int) -> [UInt8] {
    var random = SeededRandom(seed: 3, stream: "answer")
    var predictions: [String] = []
    var probabilities: [String] = []
    for _ in 0..<rows {
      let p = Double(random.next() >> 11) * 0x1p-53
      predictions.append(p >= 0.5 ? "\"Risk\"" : "\"No Risk\"")
      probabilities.append("[\(1 - p), \(p)]")
    }
    let text =
      "{\"id\": 1, \"predictions\": [\(predictions.joined(separator: ", "))], \"probabilities\": [\(probabilities.joined(separator: ", "))], \"classes\": [\"No Risk\", \"Risk\"]}"
    return Array(text.utf8)
  }

  /// A CSV file of `rows` rows in a temporary folder; returns its path.
  static func csvFile(rows: Int) -> String {
    var random = SeededRandom(seed: 5, stream: "csv")
    let columns = (0..<20).map { "x\($0)" } + ["label"]
    var text = columns.joined(separator: ",") + "\n"
    for _ in 0..<rows {
      var cells: [String] = []
      for column in 0..<20 {
        let value = random.next() % 10_000
        cells.append(column % 4 == 0 ? "cat\(value % 7)" : "\(Double(value) / 100)")
      }
      cells.append(random.next() % 2 == 0 ? "Risk" : "No Risk")
      text += cells.joined(separator: ",") + "\n"
    }
    let path = NSTemporaryDirectory() + "mlgate-bench-\(rows).csv"
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
  }
}
