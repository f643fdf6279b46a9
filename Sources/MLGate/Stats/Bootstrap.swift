import Dispatch
import Foundation
import Synchronization

/// Seeded percentile bootstrap confidence intervals, stratified by class for classifiers.
///
/// Each resample draws, within each stratum, as many rows as the stratum has, with replacement
/// (see ``Resampler``): from the confusion matrix's cells when it gives every metric, else as a
/// count per row over a layout built once.
package struct Bootstrap {
  package let resamples: Int
  package let level: Double
  package let seed: UInt64

  /// A bootstrap of `resamples` resamples at confidence `level`, seeded.
  package init(resamples: Int, level: Double, seed: UInt64) {
    self.resamples = resamples
    self.level = level
    self.seed = seed
  }

  /// Resamples are drawn in this many fixed chunks, each from its own random stream, so the
  /// result is the same whatever the number of cores that compute them.
  static let chunks = 8

  /// One metric's percentile interval and the resamples' standard deviation (its standard
  /// error).
  package struct Interval: Sendable {
    package var lower: Double
    package var upper: Double
    package var standardError: Double
  }

  /// Percentile intervals for each metric, all from the same resamples, computed on every core.
  package func intervals(_ metrics: [Metric], engine: MetricEngine) -> [Metric: Interval] {
    let layout = ResampleLayout(engine, metrics: metrics)
    let positive: Int? =
      if case .classification(let data) = engine.evaluation { data.positive } else { nil }
    let collected = Bootstrap.resample(
      resamples, seed: seed, stream: "quality.bootstrap", series: metrics.count
    ) {
      var resampler = Resampler(layout, metrics: metrics)
      return { random in
        let totals = resampler.draw(using: &random)
        return metrics.map { totals.value($0, positive: positive) }
      }
    }
    var result: [Metric: Interval] = [:]
    let alpha = 1 - level
    for (index, metric) in metrics.enumerated() {
      let sorted = collected[index]
      guard !sorted.isEmpty else { continue }
      let mean = sorted.reduce(0, +) / Double(sorted.count)
      let variance =
        sorted.count > 1
        ? sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(sorted.count - 1) : 0
      result[metric] = Interval(
        lower: Quantile.linear(sorted, alpha / 2), upper: Quantile.linear(sorted, 1 - alpha / 2),
        standardError: variance.squareRoot())
    }
    return result
  }

  /// At most this many chunks are drawn at once: each holds a byte per row for its counts, so
  /// a many-core machine does not multiply the memory a row costs.
  static let maxWorkers = 4

  /// Draws `resamples` resamples in ``chunks`` fixed chunks on up to ``maxWorkers`` cores,
  /// chunk `c` from the random stream "`stream`.`c`", and returns each series' finite values,
  /// sorted.
  ///
  /// `makeDraw` gives each worker its own state: a function from a chunk's generator to one
  /// resample's value of each series. The result depends on the chunks only, never on how many
  /// workers drew them.
  static func resample(
    _ resamples: Int, seed: UInt64, stream: String, series: Int,
    _ makeDraw: @Sendable () -> (inout SeededRandom) -> [Double]
  ) -> [[Double]] {
    let chunkResults = Mutex([[[Double]]](repeating: [], count: chunks))
    let workers = max(1, min(maxWorkers, chunks, ProcessInfo.processInfo.activeProcessorCount))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let draw = makeDraw()
      for chunk in stride(from: worker, to: chunks, by: workers) {
        let count = resamples / chunks + (chunk < resamples % chunks ? 1 : 0)
        var random = SeededRandom(seed: seed, stream: "\(stream).\(chunk)")
        var samples = [[Double]](repeating: [], count: series)
        for index in samples.indices { samples[index].reserveCapacity(count) }
        for _ in 0..<count {
          for (index, value) in draw(&random).enumerated() where value.isFinite {
            samples[index].append(value)
          }
        }
        chunkResults.withLock { $0[chunk] = samples }
      }
    }
    let collected = chunkResults.withLock { $0 }
    return (0..<series).map { index in collected.flatMap { $0[index] }.sorted() }
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
