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
    precondition(
      new.strata == old.strata && new.stratumClass == old.stratumClass, "unpaired layouts")
    let positive: Int? =
      if case .classification(let data) = candidate.evaluation { data.positive } else { nil }
    let collected = Bootstrap.resample(
      resamples, seed: seed, stream: stream, series: metrics.count
    ) {
      var drawer = Resampler(new, metrics: metrics)
      let newTotals = Resampler(new, metrics: metrics)
      let oldTotals = Resampler(old, metrics: metrics)
      return { random in
        let counts = drawer.drawCounts(using: &random)
        let a = newTotals.totals(counts)
        let b = oldTotals.totals(counts)
        return metrics.map { a.value($0, positive: positive) - b.value($0, positive: positive) }
      }
    }
    var result: [Metric: [Double]] = [:]
    for (index, metric) in metrics.enumerated() { result[metric] = collected[index] }
    return result
  }
}
