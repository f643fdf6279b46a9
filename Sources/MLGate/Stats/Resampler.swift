/// Draws stratified bootstrap resamples of a ``ResampleLayout`` and totals what the metrics need.
///
/// Each resample draws, within each stratum, as many rows as the stratum has, with replacement.
/// When the confusion matrix gives every metric, the draw is a multinomial per stratum over its
/// predicted classes (the same distribution, at a cost independent of the rows); otherwise it is
/// a count per position followed by one pass per need.
struct Resampler {
  let layout: ResampleLayout
  private let fromCells: Bool
  private var counts: [UInt8] = []

  init(_ layout: ResampleLayout, metrics: [Metric]) {
    self.layout = layout
    fromCells = layout.cellsSuffice(metrics)
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
  /// Counts are 8-bit: a row drawn more than 255 times in one resample of n draws over n rows
  /// (a chance below n / 256!, under 10⁻⁴⁹⁰ for any n a machine holds) would wrap, and the
  /// resample's weight with it.
  @discardableResult
  mutating func drawCounts(using random: inout SeededRandom) -> [UInt8] {
    if counts.count != layout.positions { counts = [UInt8](repeating: 0, count: layout.positions) }
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

  /// The totals when each position is counted the given number of times: the rank walk for
  /// the ranking metrics (and then the confusion matrix), and a pass stratum by stratum for
  /// the rest.
  func totals(_ counts: [UInt8]) -> ResampleTotals {
    var totals = ResampleTotals(confusion: nil, weight: 0)
    let k = layout.classes
    let width = layout.columnKeys.count
    if layout.ranked { totals.rank(counts, layout) }
    guard !layout.ranked || width > 0 else { return totals }
    let confusion = k > 0 && !layout.predicted.isEmpty
    var cells = [Double](repeating: 0, count: max(k * k, 1))
    var sums = [Double](repeating: 0, count: max(width, 1))
    totals.weight = stratumPass(counts, cells: &cells, sums: &sums)
    if confusion { totals.confusion = ConfusionMatrix(k: k, counts: cells) }
    for (j, key) in layout.columnKeys.enumerated() { totals.sums[key] = sums[j] }
    return totals
  }

  /// Confusion cells (from ``ResampleLayout/predicted``, when it is kept) and column sums
  /// stratum by stratum, in position order; returns the weight.
  private func stratumPass(_ counts: [UInt8], cells: inout [Double], sums: inout [Double])
    -> Double
  {
    let k = layout.classes
    let width = layout.columnKeys.count
    let confusion = k > 0 && !layout.predicted.isEmpty
    let predictedColumn = layout.predicted
    var weight = 0.0
    counts.withUnsafeBufferPointer { counts in
      predictedColumn.low.withUnsafeBufferPointer { predicted in
        layout.values.withUnsafeBufferPointer { values in
          cells.withUnsafeMutableBufferPointer { cells in
            sums.withUnsafeMutableBufferPointer { sums in
              for (s, range) in layout.strata.enumerated() {
                let row = layout.stratumClass[s] * k
                // Integer sums: a one-cycle dependency instead of a floating-point add's four.
                var stratumWeight = 0
                if confusion, k == 2 {
                  var predictedOne = 0
                  for p in range {
                    let count = Int(counts[p])
                    stratumWeight &+= count
                    predictedOne &+= count & -Int(predicted[p])
                  }
                  cells[row] += Double(stratumWeight - predictedOne)
                  cells[row + 1] += Double(predictedOne)
                } else if confusion, predictedColumn.isNarrow {
                  for p in range {
                    stratumWeight &+= Int(counts[p])
                    cells[row + Int(predicted[p])] += Double(counts[p])
                  }
                } else if confusion {
                  for p in range {
                    stratumWeight &+= Int(counts[p])
                    cells[row + predictedColumn[p]] += Double(counts[p])
                  }
                } else {
                  for p in range { stratumWeight &+= Int(counts[p]) }
                }
                weight += Double(stratumWeight)
                switch width {
                case 0: break
                case 1:
                  // Two accumulators halve the chain of dependent additions.
                  var even = 0.0
                  var odd = 0.0
                  var p = range.lowerBound
                  while p + 1 < range.upperBound {
                    even += Double(counts[p]) * values[p]
                    odd += Double(counts[p + 1]) * values[p + 1]
                    p += 2
                  }
                  if p < range.upperBound { even += Double(counts[p]) * values[p] }
                  sums[0] += even + odd
                case 2:
                  var first = 0.0
                  var second = 0.0
                  for p in range {
                    let count = Double(counts[p])
                    first += count * values[2 * p]
                    second += count * values[2 * p + 1]
                  }
                  sums[0] += first
                  sums[1] += second
                default:
                  for p in range {
                    let count = Double(counts[p])
                    for j in 0..<width { sums[j] += count * values[p * width + j] }
                  }
                }
              }
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

  /// Area under ROC, average precision, the confusion matrix and the weight of a binary task,
  /// from one walk of the ranks in descending score.
  ///
  /// Exactly as ``MetricEngine`` computes them with weights. The counts are integers, so are
  /// the sums (twice the area, to keep the ties' halves whole): one-cycle dependencies.
  mutating func rank(_ counts: [UInt8], _ layout: ResampleLayout) {
    guard let positives = layout.positives,
      let negatives = layout.strata.first(where: { $0 != positives })
    else { return }
    var positivesAbove = 0
    var negativesAbove = 0
    var groupPositives = 0
    var groupNegatives = 0
    var doubleArea = 0
    var precisionSum = 0.0
    // Counts predicted as class 1, by true class.
    var positivesPredictedOne = 0
    var negativesPredictedOne = 0
    let averagePrecision = layout.averagePrecision
    let paired = !layout.sortedStrata
    var nextPositive = positives.lowerBound
    var nextNegative = negatives.lowerBound
    counts.withUnsafeBufferPointer { counts in
      layout.ranks.withUnsafeBufferPointer { ranks in
        layout.ranking.withUnsafeBufferPointer { ranking in
          for t in 0..<ranks.count {
            let code = ranks[t]
            let isPositive = Int(code & 1)
            let p: Int
            if paired {
              p = Int(ranking[t])
            } else {
              p = isPositive != 0 ? nextPositive : nextNegative
              nextPositive &+= isPositive
              nextNegative &+= 1 &- isPositive
            }
            let count = Int(counts[p])
            let mask = -isPositive
            groupPositives &+= count & mask
            groupNegatives &+= count & ~mask
            let one = -Int((code >> 2) & 1)
            positivesPredictedOne &+= count & mask & one
            negativesPredictedOne &+= count & ~mask & one
            guard code & 2 != 0 else { continue }
            doubleArea &+= groupNegatives &* (2 &* positivesAbove &+ groupPositives)
            positivesAbove &+= groupPositives
            negativesAbove &+= groupNegatives
            if averagePrecision, groupPositives > 0 {
              precisionSum +=
                Double(groupPositives) * Double(positivesAbove)
                / Double(positivesAbove + negativesAbove)
            }
            groupPositives = 0
            groupNegatives = 0
          }
        }
      }
    }
    if positivesAbove > 0, negativesAbove > 0 {
      areaUnderROC = Double(doubleArea) / 2 / (Double(positivesAbove) * Double(negativesAbove))
    }
    if positivesAbove > 0 { areaUnderPR = precisionSum / Double(positivesAbove) }
    weight = Double(positivesAbove + negativesAbove)
    let k = layout.classes
    let positiveClass = layout.stratumClass[layout.strata.firstIndex(of: positives) ?? 0]
    let negativeClass = layout.stratumClass[layout.strata.firstIndex(of: negatives) ?? 0]
    var matrix = [Double](repeating: 0, count: k * k)
    matrix[negativeClass * k] = Double(negativesAbove - negativesPredictedOne)
    matrix[negativeClass * k + 1] = Double(negativesPredictedOne)
    matrix[positiveClass * k] = Double(positivesAbove - positivesPredictedOne)
    matrix[positiveClass * k + 1] = Double(positivesPredictedOne)
    confusion = ConfusionMatrix(k: k, counts: matrix)
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
