/// One evaluation laid out for resampling: rows grouped by stratum, each stratum one contiguous
/// run of positions, and only what the requested metrics need kept per position.
///
/// A resample is a count per position (how often the row was drawn). Within a stratum the rows
/// are sorted by descending score, so the ranking metrics are one merge of the positive and the
/// negative run; the metrics that average a per-row loss are a weighted sum of one column; the
/// confusion matrix is the counts summed by predicted class. The layout is built once; every
/// resample then costs a few linear passes over small integers.
struct ResampleLayout: Sendable {
  /// The number of classes (0 for a regression task).
  let classes: Int
  /// The positions of each stratum.
  let strata: [Range<Int>]
  /// The true class of each stratum (classification).
  let stratumClass: [Int]
  /// The row at each position.
  let rows: [Int32]
  /// The predicted class per position (classification; empty when no metric needs it).
  let predicted: [UInt32]
  /// The columns summed by weight (see ``Column``), in the order of ``values``.
  let columnKeys: [Column]
  /// Per-position values of ``columnKeys``, interleaved: position `p`'s value of column `j` is
  /// at `p * columnKeys.count + j`.
  let values: [Double]
  /// For the ranking metrics (binary tasks with scores): the positions in descending score
  /// (each stratum sorted, so this reads two ascending runs), and whether each ends a group of
  /// tied scores.
  let ranking: [Int32]
  let tieEnds: [Bool]
  /// The positions of the positive class (binary tasks with scores).
  let positives: Range<Int>?
  /// Whether average precision is asked (it costs a division per tie group).
  let averagePrecision: Bool
  /// The confusion matrix of the data itself, per stratum over predicted classes.
  let cells: [[Double]]

  /// A per-row quantity a metric sums.
  enum Column: Hashable, Sendable {
    case logLoss, brier
    /// Regression: the truth centred on its mean and its square; the error (truth − prediction)
    /// centred on its mean and its square; the error's square, its absolute value, and the
    /// absolute percentage error.
    case truth, truthSquared, error, errorCentredSquared, errorSquared, absoluteError
    case percentError
  }

  /// Lays `engine`'s evaluation out for `metrics`.
  ///
  /// With `sortedStrata` false the positions keep row order within each stratum, so two
  /// evaluations of the same rows (a candidate and a baseline) share them: one draw of counts
  /// then resamples both (a paired bootstrap).
  init(_ engine: MetricEngine, metrics: [Metric], sortedStrata: Bool = true) {
    averagePrecision = metrics.contains(.areaUnderPR)
    switch engine.evaluation {
    case .regression(let data):
      classes = 0
      strata = [0..<data.truth.count]
      stratumClass = [0]
      rows = data.truth.indices.map { Int32($0) }
      predicted = []
      ranking = []
      tieEnds = []
      positives = nil
      cells = []
      let n = Double(max(data.truth.count, 1))
      let meanTruth = data.truth.reduce(0, +) / n
      let errors = data.truth.indices.map { data.truth[$0] - data.predicted[$0] }
      let meanError = errors.reduce(0, +) / n
      var columns: [Column: [Double]] = [:]
      for column in Set(metrics.flatMap(ResampleLayout.columns(of:))) {
        switch column {
        case .truth: columns[column] = data.truth.map { $0 - meanTruth }
        case .truthSquared: columns[column] = data.truth.map { ($0 - meanTruth) * ($0 - meanTruth) }
        case .error: columns[column] = errors.map { $0 - meanError }
        case .errorCentredSquared:
          columns[column] = errors.map { ($0 - meanError) * ($0 - meanError) }
        case .errorSquared: columns[column] = errors.map { $0 * $0 }
        case .absoluteError: columns[column] = errors.map { abs($0) }
        case .percentError:
          columns[column] = data.truth.indices.map {
            abs(errors[$0]) / max(abs(data.truth[$0]), MetricEngine.epsilon)
          }
        case .logLoss, .brier: break
        }
      }
      (columnKeys, values) = ResampleLayout.interleave(columns, positions: data.truth.count)
    case .classification(let data):
      let k = data.classes.count
      classes = k
      let scores = data.positiveScores
      var rowsOf = [[Int]](repeating: [], count: k)
      for (row, truth) in data.truth.enumerated() { rowsOf[truth].append(row) }
      let needsRanking = metrics.contains { $0 == .areaUnderROC || $0 == .areaUnderPR }
      if needsRanking, sortedStrata, let scores {
        for c in 0..<k { rowsOf[c].sort { scores[$0] > scores[$1] } }
      }
      var strata: [Range<Int>] = []
      var stratumClass: [Int] = []
      var order: [Int] = []
      for c in 0..<k where !rowsOf[c].isEmpty {
        strata.append(order.count..<(order.count + rowsOf[c].count))
        stratumClass.append(c)
        order.append(contentsOf: rowsOf[c])
      }
      self.strata = strata
      self.stratumClass = stratumClass
      rows = order.map { Int32($0) }
      var cells = [[Double]](repeating: [Double](repeating: 0, count: k), count: strata.count)
      for (s, range) in strata.enumerated() {
        for position in range { cells[s][data.predicted[order[position]]] += 1 }
      }
      self.cells = cells
      let needsRows =
        !sortedStrata || needsRanking
        || metrics.contains { !ResampleLayout.columns(of: $0).isEmpty }
      if needsRanking, !engine.order.isEmpty, let positive = data.positive,
        let p = stratumClass.firstIndex(of: positive), stratumClass.count == 2
      {
        // The engine's rows in descending score, as positions.
        var position = [Int32](repeating: 0, count: order.count)
        for (index, row) in order.enumerated() { position[row] = Int32(index) }
        ranking = engine.order.map { position[$0] }
        tieEnds = engine.tieEnds
        positives = strata[p]
      } else {
        ranking = []
        tieEnds = []
        positives = nil
      }
      predicted = needsRows ? order.map { UInt32(data.predicted[$0]) } : []
      var columns: [Column: [Double]] = [:]
      let engineColumns = engine.rowColumns
      for column in Set(metrics.flatMap(ResampleLayout.columns(of:))) {
        if let values = engineColumns[column] { columns[column] = order.map { values[$0] } }
      }
      (columnKeys, values) = ResampleLayout.interleave(columns, positions: order.count)
    }
  }

  /// The columns in a fixed order and their values interleaved by position.
  private static func interleave(_ columns: [Column: [Double]], positions: Int) -> (
    [Column], [Double]
  ) {
    let keys = columns.keys.sorted { "\($0)" < "\($1)" }
    var values = [Double](repeating: 0, count: positions * keys.count)
    for (j, key) in keys.enumerated() {
      for (p, value) in (columns[key] ?? []).enumerated() { values[p * keys.count + j] = value }
    }
    return (keys, values)
  }

  /// The number of positions (rows).
  var positions: Int { strata.last?.upperBound ?? 0 }

  /// The columns a metric sums.
  static func columns(of metric: Metric) -> [Column] {
    switch metric {
    case .logLoss: return [.logLoss]
    case .brierScore: return [.brier]
    case .meanAbsoluteError: return [.absoluteError]
    case .meanSquaredError, .rootMeanSquaredError: return [.errorSquared]
    case .meanAbsolutePercentageError: return [.percentError]
    case .r2: return [.truth, .truthSquared, .errorSquared]
    case .explainedVariance: return [.truth, .truthSquared, .error, .errorCentredSquared]
    default: return []
    }
  }

  /// Whether the confusion matrix alone gives every metric: resamples are then drawn from its
  /// cells, whatever the number of rows.
  func cellsSuffice(_ metrics: [Metric]) -> Bool {
    classes > 0
      && metrics.allSatisfy {
        ResampleLayout.columns(of: $0).isEmpty && $0 != .areaUnderROC && $0 != .areaUnderPR
      }
  }
}
