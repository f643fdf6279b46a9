import Dispatch
import Synchronization

/// Seeded percentile bootstrap confidence intervals, stratified by class for classifiers.
///
/// Each resample draws, within each stratum, as many rows as the stratum has, with replacement,
/// and is expressed as per-row multiplicities so that one pass computes every metric.
struct Bootstrap {
  let resamples: Int
  let level: Double
  let seed: UInt64

  /// The rows of each stratum: one per true class (classification) or all rows.
  static func strata(_ evaluation: Evaluation) -> [[Int]] {
    switch evaluation {
    case .regression(let data): return [Array(data.truth.indices)]
    case .classification(let data):
      var groups = [[Int]](repeating: [], count: data.classes.count)
      for (row, truth) in data.truth.enumerated() { groups[truth].append(row) }
      return groups.filter { !$0.isEmpty }
    }
  }

  /// Resamples are drawn in this many fixed chunks, each from its own random stream, so the
  /// result is the same whatever the number of cores that compute them.
  static let chunks = 8

  /// Percentile intervals for each metric, all from the same resamples, computed on every core.
  func intervals(_ metrics: [Metric], engine: MetricEngine) -> [Metric: (
    lower: Double, upper: Double
  )] {
    let strata = Bootstrap.strata(engine.evaluation)
    let n = engine.evaluation.count
    let chunkResults = Mutex([[Metric: [Double]]](repeating: [:], count: Bootstrap.chunks))
    DispatchQueue.concurrentPerform(iterations: Bootstrap.chunks) { chunk in
      let count = resamples / Bootstrap.chunks + (chunk < resamples % Bootstrap.chunks ? 1 : 0)
      var random = SeededRandom(seed: seed, stream: "quality.bootstrap.\(chunk)")
      var samples = [Metric: [Double]]()
      var weights = [Double](repeating: 0, count: n)
      for _ in 0..<count {
        for row in 0..<n { weights[row] = 0 }
        for stratum in strata {
          for _ in 0..<stratum.count { weights[stratum[random.below(stratum.count)]] += 1 }
        }
        for metric in metrics {
          let value = engine.value(metric, weights: weights)
          if value.isFinite { samples[metric, default: []].append(value) }
        }
      }
      chunkResults.withLock { $0[chunk] = samples }
    }
    let collected = chunkResults.withLock { $0 }
    var result: [Metric: (lower: Double, upper: Double)] = [:]
    let alpha = 1 - level
    for metric in metrics {
      let sorted = collected.flatMap { $0[metric] ?? [] }.sorted()
      guard !sorted.isEmpty else { continue }
      result[metric] = (Quantile.linear(sorted, alpha / 2), Quantile.linear(sorted, 1 - alpha / 2))
    }
    return result
  }
}

/// Sample quantiles.
enum Quantile {
  /// Hyndman–Fan type 7 (numpy's default "linear") on sorted values.
  static func linear(_ sorted: [Double], _ probability: Double) -> Double {
    guard sorted.count > 1 else { return sorted.first ?? .nan }
    let position = probability * Double(sorted.count - 1)
    let below = Int(position.rounded(.down))
    let above = min(below + 1, sorted.count - 1)
    let fraction = position - Double(below)
    return sorted[below] + (sorted[above] - sorted[below]) * fraction
  }
}
