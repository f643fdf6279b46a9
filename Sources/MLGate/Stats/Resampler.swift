/// Draws stratified bootstrap resamples of a ``ResampleLayout`` and totals what the metrics need.
///
/// Each resample draws, within each stratum, as many rows as the stratum has, with replacement.
/// When the confusion matrix gives every metric, the draw is a multinomial per stratum over its
/// predicted classes (the same distribution, at a cost independent of the rows); otherwise it is
/// a count per position followed by one pass per need.
struct Resampler {
  let layout: ResampleLayout
  private let fromCells: Bool
  private var counts: [UInt16]

  init(_ layout: ResampleLayout, metrics: [Metric]) {
    self.layout = layout
    fromCells = layout.cellsSuffice(metrics)
    let positions = layout.strata.last?.upperBound ?? 0
    counts = fromCells ? [] : [UInt16](repeating: 0, count: positions)
  }

  /// The totals of one resample.
  mutating func draw(using random: inout SeededRandom) -> ResampleTotals {
    if fromCells {
      let k = layout.classes
      var cells = [Double](repeating: 0, count: k * k)
      for (s, range) in layout.strata.enumerated() {
        Multinomial.sample(
          trials: range.count, weights: layout.cells[s], into: &cells,
          offset: layout.stratumClass[s] * k, using: &random)
      }
      return ResampleTotals(
        confusion: ConfusionMatrix(k: k, counts: cells), weight: Double(layout.positions))
    }
    drawCounts(using: &random)
    return totals(counts)
  }

  /// Draws how often each position is taken (the row path); returns the counts.
  ///
  /// Counts are 16-bit: a row drawn more than 65,535 times in one resample (a chance below
  /// 1 in 65,535 factorial) would wrap, and the resample's weight with it.
  @discardableResult
  mutating func drawCounts(using random: inout SeededRandom) -> [UInt16] {
    if counts.count != layout.positions { counts = [UInt16](repeating: 0, count: layout.positions) }
    let strata = layout.strata
    counts.withUnsafeMutableBufferPointer { counts in
      counts.update(repeating: 0)
      for range in strata {
        let size = range.count
        let base = range.lowerBound
        for _ in 0..<size { counts[base + random.below(size)] &+= 1 }
      }
    }
    return counts
  }

  /// The totals when each position is counted the given number of times: one pass, in score
  /// order when the layout is ranked, else stratum by stratum.
  func totals(_ counts: [UInt16]) -> ResampleTotals {
    var totals = ResampleTotals(confusion: nil, weight: 0)
    let k = layout.classes
    let width = layout.columnKeys.count
    let confusion = k > 0 && !layout.predicted.isEmpty
    var cells = [Double](repeating: 0, count: max(k * k, 1))
    var sums = [Double](repeating: 0, count: max(width, 1))
    var weight = 0.0
    if let positives = layout.positives {
      weight = totals.rankedPass(counts, layout, positives: positives, cells: &cells, sums: &sums)
    } else {
      weight = stratumPass(counts, cells: &cells, sums: &sums)
    }
    totals.weight = weight
    if confusion { totals.confusion = ConfusionMatrix(k: k, counts: cells) }
    for (j, key) in layout.columnKeys.enumerated() { totals.sums[key] = sums[j] }
    return totals
  }

  /// Confusion cells and column sums stratum by stratum, in position order; returns the weight.
  private func stratumPass(_ counts: [UInt16], cells: inout [Double], sums: inout [Double])
    -> Double
  {
    let k = layout.classes
    let width = layout.columnKeys.count
    let confusion = k > 0 && !layout.predicted.isEmpty
    var weight = 0.0
    counts.withUnsafeBufferPointer { counts in
      layout.predicted.withUnsafeBufferPointer { predicted in
        layout.values.withUnsafeBufferPointer { values in
          for (s, range) in layout.strata.enumerated() {
            let row = layout.stratumClass[s] * k
            for p in range {
              let count = Double(counts[p])
              weight += count
              if confusion { cells[row + Int(predicted[p])] += count }
              for j in 0..<width { sums[j] += count * values[p * width + j] }
            }
          }
        }
      }
    }
    return weight
  }
}

/// What one resample gives the metrics: a confusion matrix, weighted sums of the row columns,
/// and the ranking metrics.
struct ResampleTotals {
  var confusion: ConfusionMatrix?
  var weight: Double
  var sums: [ResampleLayout.Column: Double] = [:]
  var areaUnderROC = Double.nan
  var areaUnderPR = Double.nan

  /// Area under ROC, average precision, the confusion cells and the column sums of a binary
  /// task in one pass in descending score (exactly as ``MetricEngine`` computes them with
  /// weights); returns the weight.
  mutating func rankedPass(
    _ counts: [UInt16], _ layout: ResampleLayout, positives: Range<Int>, cells: inout [Double],
    sums: inout [Double]
  ) -> Double {
    var positivesAbove = 0.0
    var negativesAbove = 0.0
    var groupPositives = 0.0
    var groupNegatives = 0.0
    var area = 0.0
    var precisionSum = 0.0
    var predictedOneAmongPositives = 0.0
    var predictedOneAmongNegatives = 0.0
    let low = positives.lowerBound
    let high = positives.upperBound
    let width = layout.columnKeys.count
    let averagePrecision = layout.averagePrecision
    counts.withUnsafeBufferPointer { counts in
      layout.ranking.withUnsafeBufferPointer { ranking in
        layout.tieEnds.withUnsafeBufferPointer { tieEnds in
          layout.predicted.withUnsafeBufferPointer { predicted in
            layout.values.withUnsafeBufferPointer { values in
              sums.withUnsafeMutableBufferPointer { sums in
                for t in 0..<ranking.count {
                  let p = Int(ranking[t])
                  let count = Double(counts[p])
                  let positive = p >= low && p < high
                  let predictedOne = count * Double(predicted[t])
                  groupPositives += positive ? count : 0
                  groupNegatives += positive ? 0 : count
                  predictedOneAmongPositives += positive ? predictedOne : 0
                  predictedOneAmongNegatives += positive ? 0 : predictedOne
                  for j in 0..<width { sums[j] += count * values[t * width + j] }
                  guard tieEnds[t] else { continue }
                  area += groupNegatives * (positivesAbove + groupPositives / 2)
                  positivesAbove += groupPositives
                  negativesAbove += groupNegatives
                  if averagePrecision {
                    // A group with positives has positivesAbove ≥ 1: the floor changes no term.
                    precisionSum +=
                      groupPositives * positivesAbove / max(positivesAbove + negativesAbove, 1)
                  }
                  groupPositives = 0
                  groupNegatives = 0
                }
              }
            }
          }
        }
      }
    }
    if positivesAbove > 0, negativesAbove > 0 {
      areaUnderROC = area / (positivesAbove * negativesAbove)
    }
    if positivesAbove > 0 { areaUnderPR = precisionSum / positivesAbove }
    // Binary: class indices 0 and 1; the positive stratum's class is the positive class.
    let positiveClass = layout.stratumClass[layout.strata.firstIndex(of: positives) ?? 0]
    let positiveRow = positiveClass * 2
    let negativeRow = (1 - positiveClass) * 2
    if !layout.predicted.isEmpty {
      cells[positiveRow] += positivesAbove - predictedOneAmongPositives
      cells[positiveRow + 1] += predictedOneAmongPositives
      cells[negativeRow] += negativesAbove - predictedOneAmongNegatives
      cells[negativeRow + 1] += predictedOneAmongNegatives
    }
    return positivesAbove + negativesAbove
  }

  /// The metric's value on this resample.
  func value(_ metric: Metric, positive: Int?) -> Double {
    let sum = { (column: ResampleLayout.Column) in sums[column] ?? .nan }
    guard weight > 0 else { return .nan }
    switch metric {
    case .areaUnderROC: return areaUnderROC
    case .areaUnderPR: return areaUnderPR
    case .logLoss: return sum(.logLoss) / weight
    case .brierScore: return sum(.brier) / weight
    case .meanAbsoluteError: return sum(.absoluteError) / weight
    case .meanSquaredError: return sum(.errorSquared) / weight
    case .rootMeanSquaredError: return (sum(.errorSquared) / weight).squareRoot()
    case .meanAbsolutePercentageError: return sum(.percentError) / weight
    case .r2, .explainedVariance:
      let spread = sum(.truthSquared) - sum(.truth) * sum(.truth) / weight
      let numerator =
        metric == .r2
        ? sum(.errorSquared) : sum(.errorCentredSquared) - sum(.error) * sum(.error) / weight
      // Centred sums of equal values cancel to rounding, not to zero.
      if spread <= 1e-12 * sum(.truthSquared) { return numerator <= 0 ? 1 : 0 }
      return 1 - numerator / spread
    default: return confusion?.value(metric, positive: positive ?? 1) ?? .nan
    }
  }
}
