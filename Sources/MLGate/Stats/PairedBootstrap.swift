import Dispatch
import Synchronization

/// The seeded paired stratified bootstrap of candidate − baseline on the same rows.
///
/// Each resample draws, within each true class (all rows for a regression task), as many rows
/// as the class has, with replacement, and evaluates both models on those same rows: the
/// difference keeps the pairing, so what both models get right or wrong together cancels.
package struct PairedBootstrap {
  package let resamples: Int
  package let seed: UInt64
  /// The random stream's name (one per slice), so that adding a slice changes no other's draws.
  package let stream: String

  /// A paired bootstrap of `resamples` resamples, seeded, on the named stream.
  package init(resamples: Int, seed: UInt64, stream: String) {
    self.resamples = resamples
    self.seed = seed
    self.stream = stream
  }

  /// The resampled differences (candidate − baseline) of each metric, sorted; NaN resamples
  /// (a metric undefined on the drawn rows) are left out.
  package func differences(_ metrics: [Metric], candidate: MetricEngine, baseline: MetricEngine)
    -> [Metric: [Double]]
  {
    let new = ResampleLayout(candidate, metrics: metrics, sortedStrata: false)
    let old = ResampleLayout(baseline, metrics: metrics, sortedStrata: false)
    precondition(new.rows == old.rows && new.strata == old.strata, "unpaired layouts")
    let positive: Int? =
      if case .classification(let data) = candidate.evaluation { data.positive } else { nil }
    let chunkResults = Mutex([[[Double]]](repeating: [], count: Bootstrap.chunks))
    DispatchQueue.concurrentPerform(iterations: Bootstrap.chunks) { chunk in
      let count = resamples / Bootstrap.chunks + (chunk < resamples % Bootstrap.chunks ? 1 : 0)
      var random = SeededRandom(seed: seed, stream: "\(stream).\(chunk)")
      var drawer = Resampler(new, metrics: metrics)
      let newTotals = Resampler(new, metrics: metrics)
      let oldTotals = Resampler(old, metrics: metrics)
      var samples = [[Double]](repeating: [], count: metrics.count)
      for _ in 0..<count {
        let counts = drawer.drawCounts(using: &random)
        let a = newTotals.totals(counts)
        let b = oldTotals.totals(counts)
        for (index, metric) in metrics.enumerated() {
          let difference = a.value(metric, positive: positive) - b.value(metric, positive: positive)
          if difference.isFinite { samples[index].append(difference) }
        }
      }
      chunkResults.withLock { $0[chunk] = samples }
    }
    let collected = chunkResults.withLock { $0 }
    var result: [Metric: [Double]] = [:]
    for (index, metric) in metrics.enumerated() {
      result[metric] = collected.flatMap { $0.isEmpty ? [] : $0[index] }.sorted()
    }
    return result
  }
}
