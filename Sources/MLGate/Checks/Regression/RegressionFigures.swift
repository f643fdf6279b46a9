/// The candidate against the baseline on every slice, for every metric, with Holm's adjustment
/// across all of them: computed once per run.
///
/// Accuracy by exact McNemar, area under ROC by DeLong, every other metric (and every metric of
/// a regression task) by a paired stratified bootstrap.
struct RegressionFigures: Sendable {
  /// One metric compared on one slice.
  struct Comparison: Sendable {
    var baseline: Double
    var candidate: Double
    /// The 95 % interval of candidate − baseline.
    var interval: (lower: Double, upper: Double)
    /// The one-sided p that the candidate is worse.
    var p: Double
    /// Holm-adjusted across every comparison that ran.
    var adjustedP = 1.0
    /// How the test went: "b 62, c 66 (exact McNemar)".
    var test: String
    /// The smallest drop detectable with 80 % power at α; nil when none can be.
    var detectable: Double?
  }

  /// One slice's figures.
  struct SliceFigures: Sendable {
    var n: Int
    var positives: Int
    var negatives: Int
    /// Why the slice is inconclusive, if it is.
    var inconclusive: String?
    var comparisons: [Metric: Comparison] = [:]
  }

  var slices: [String: SliceFigures] = [:]
  /// Rows the baseline got right and the candidate wrong (b), and the other way round (c).
  var flips: (negative: Int, positive: Int, total: Int)
  /// How many comparisons Holm's adjustment covers.
  var family = 0

  init(
    candidate: ScoredData, baseline: ScoredData, slices: [Slice], config: RegressionConfig,
    positive: String?, seed: UInt64
  ) throws(ScoringError) {
    let n = candidate.evaluation.count
    guard baseline.evaluation.count == n,
      RegressionFigures.sameTruth(candidate.evaluation, baseline.evaluation)
    else {
      throw .harness(
        "the baseline's scoring of \(baseline.file.displayName) does not line up with the candidate's"
      )
    }
    var isPositive: [Bool]?
    var newRight: [Bool] = []
    var oldRight: [Bool] = []
    var newScores: [Double]?
    var oldScores: [Double]?
    flips = (0, 0, n)
    if case .classification(let new) = candidate.evaluation,
      case .classification(let old) = baseline.evaluation
    {
      isPositive = positive.map { name in (0..<n).map { new.classes[new.truth[$0]] == name } }
      newRight = (0..<n).map { new.classes[new.predicted[$0]] == new.classes[new.truth[$0]] }
      oldRight = (0..<n).map { old.classes[old.predicted[$0]] == old.classes[old.truth[$0]] }
      newScores = new.positiveScores
      oldScores = old.positiveScores
      var b = 0
      var c = 0
      for row in 0..<n where oldRight[row] != newRight[row] {
        if oldRight[row] { b += 1 } else { c += 1 }
      }
      flips = (b, c, n)
    }
    let resampled = config.metrics.filter { $0 != .accuracy && $0 != .areaUnderROC }
    var keys: [(slice: String, metric: Metric)] = []
    for slice in [Slice.overall] + slices {
      let rows = (0..<n).filter { slice.contains($0, kept: candidate.kept) }
      let positives = isPositive.map { flags in rows.filter { flags[$0] }.count } ?? 0
      var figures = SliceFigures(
        n: rows.count, positives: positives, negatives: rows.count - positives)
      if rows.count < config.minSliceRows {
        figures.inconclusive =
          "\(rows.count) rows, fewer than min_slice_rows \(config.minSliceRows): too few to compare"
      } else if isPositive != nil, min(positives, rows.count - positives) < config.minClassRows {
        figures.inconclusive =
          "\(min(positives, rows.count - positives)) rows of the rarer class, fewer than min_class_rows \(config.minClassRows): too few to compare"
      } else {
        // The bootstrap's engines, built only when a metric needs them.
        var differences: [Metric: [Double]] = [:]
        var engines: (new: MetricEngine, old: MetricEngine)?
        if !resampled.isEmpty {
          let new = MetricEngine(candidate.evaluation.subset(rows))
          let old = MetricEngine(baseline.evaluation.subset(rows))
          for metric in resampled {
            if let reason = new.unavailability(metric) ?? old.unavailability(metric) {
              throw .suite(reason)
            }
          }
          differences = PairedBootstrap(
            resamples: config.resamples, seed: seed, stream: "regression.\(slice.name)"
          ).differences(resampled, candidate: new, baseline: old)
          engines = (new, old)
        }
        for metric in config.metrics {
          let comparison: Comparison?
          switch metric {
          case .accuracy:
            comparison = RegressionFigures.accuracy(
              rows, old: oldRight, new: newRight, alpha: config.alpha)
          case .areaUnderROC:
            guard let isPositive, let newScores, let oldScores else {
              throw .suite("area_under_roc needs the probabilities of both models")
            }
            comparison = RegressionFigures.auc(
              rows, isPositive, old: oldScores, new: newScores, alpha: config.alpha)
          default:
            comparison = engines.flatMap {
              RegressionFigures.resampled(
                metric, differences[metric] ?? [], baseline: $0.old.value(metric),
                candidate: $0.new.value(metric), alpha: config.alpha)
            }
          }
          if let comparison {
            figures.comparisons[metric] = comparison
            keys.append((slice.name, metric))
          }
        }
      }
      self.slices[slice.name] = figures
    }
    let adjusted = MultipleTesting.holm(
      keys.map { self.slices[$0.slice]?.comparisons[$0.metric]?.p ?? 1 })
    for (index, key) in keys.enumerated() {
      self.slices[key.slice]?.comparisons[key.metric]?.adjustedP = adjusted[index]
    }
    family = keys.count
  }

  /// Whether both scorings have the same truth row by row.
  private static func sameTruth(_ a: Evaluation, _ b: Evaluation) -> Bool {
    switch (a, b) {
    case (.classification(let new), .classification(let old)):
      return new.truth.indices.allSatisfy {
        new.classes[new.truth[$0]] == old.classes[old.truth[$0]]
      }
    case (.regression(let new), .regression(let old)):
      return new.truth.indices.allSatisfy {
        new.truth[$0] == old.truth[$0] || (new.truth[$0].isNaN && old.truth[$0].isNaN)
      }
    default: return false
    }
  }

  /// A comparison from the paired bootstrap's resampled differences: the percentile interval,
  /// the share of resamples in which the candidate is not worse as the one-sided p (with the
  /// usual +1 correction), and the detectable drop from the differences' spread.
  private static func resampled(
    _ metric: Metric, _ differences: [Double], baseline: Double, candidate: Double, alpha: Double
  ) -> Comparison? {
    guard differences.count >= 2, baseline.isFinite, candidate.isFinite else { return nil }
    let higherIsBetter = metric.naturalDirection == .lower
    let notWorse = differences.filter { higherIsBetter ? $0 >= 0 : $0 <= 0 }.count
    let count = Double(differences.count)
    let mean = differences.reduce(0, +) / count
    let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
    let power = NormalDistribution.quantile(1 - alpha) + NormalDistribution.quantile(0.8)
    return Comparison(
      baseline: baseline, candidate: candidate,
      interval: (Quantile.linear(differences, 0.025), Quantile.linear(differences, 0.975)),
      p: (Double(notWorse) + 1) / (count + 1),
      test:
        "paired stratified bootstrap: \(notWorse) of \(differences.count) resamples show the candidate no worse",
      detectable: variance > 0 ? power * variance.squareRoot() : nil)
  }

  private static func accuracy(_ rows: [Int], old: [Bool], new: [Bool], alpha: Double)
    -> Comparison
  {
    var b = 0
    var c = 0
    var oldCorrect = 0
    var newCorrect = 0
    for row in rows {
      if old[row] { oldCorrect += 1 }
      if new[row] { newCorrect += 1 }
      if old[row] && !new[row] { b += 1 }
      if !old[row] && new[row] { c += 1 }
    }
    let n = Double(rows.count)
    let delta = Double(c - b) / n
    let psi = Double(b + c) / n
    let z = NormalDistribution.quantile(0.975)
    let se = (max(0, psi - delta * delta) / n).squareRoot()
    return Comparison(
      baseline: Double(oldCorrect) / n, candidate: Double(newCorrect) / n,
      interval: (delta - z * se, delta + z * se), p: McNemar(b: b, c: c).candidateWorse,
      test: "b \(b) (baseline right, candidate wrong), c \(c) (the other way): exact McNemar",
      detectable: McNemar.minimumDetectableDrop(total: rows.count, discordance: psi, alpha: alpha))
  }

  private static func auc(
    _ rows: [Int], _ isPositive: [Bool], old: [Double], new: [Double], alpha: Double
  ) -> Comparison? {
    guard
      let test = DeLong(
        positive: rows.map { isPositive[$0] }, first: rows.map { old[$0] },
        second: rows.map { new[$0] })
    else { return nil }
    let variance = test.covariance[0][0] + test.covariance[1][1] - 2 * test.covariance[0][1]
    let se = max(0, variance).squareRoot()
    let delta = test.auc.1 - test.auc.0
    let z = NormalDistribution.quantile(0.975)
    let power = NormalDistribution.quantile(1 - alpha) + NormalDistribution.quantile(0.8)
    return Comparison(
      baseline: test.auc.0, candidate: test.auc.1, interval: (delta - z * se, delta + z * se),
      p: test.secondWorse ?? 1,
      test:
        "DeLong z \(test.z.map { TextFormat.figure($0, digits: 3) } ?? "undefined (no variance)")",
      detectable: se > 0 ? power * se : nil)
  }
}
