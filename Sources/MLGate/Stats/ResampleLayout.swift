/// One evaluation laid out for resampling: rows grouped by stratum, each stratum one contiguous
/// run of positions, and only what the requested metrics need kept per position.
///
/// A resample is a count per position (how often the row was drawn). For the ranking metrics
/// of a binary task the layout walks the metric engine's rank codes: in a sorted layout each
/// stratum is in descending score, so the walk takes the next position of the positive or the
/// negative run; in a paired layout (row order) it keeps each rank's position. That walk also
/// counts the confusion matrix. The metrics that average a per-row loss are a weighted sum of
/// one column; otherwise the confusion matrix is the counts summed by predicted class. The
/// layout is built once; every resample then costs a few linear passes over small integers.
///
/// Kept per row: nothing for the ranking and confusion metrics of a sorted layout (the engine's
/// codes are shared), a byte for the predicted class where the confusion matrix needs it, four
/// bytes for a paired layout's ranking, and eight per loss column.
struct ResampleLayout: Sendable {
  /// The number of classes (0 for a regression task).
  let classes: Int
  /// The positions of each stratum.
  let strata: [Range<Int>]
  /// The true class of each stratum (classification).
  let stratumClass: [Int]
  /// Whether each stratum is in descending score (else in row order, to pair two layouts).
  let sortedStrata: Bool
  /// The predicted class per position, when the stratum pass counts the confusion matrix
  /// (empty otherwise).
  let predicted: ClassColumn
  /// The columns summed by weight (see ``Column``), in the order of ``values``.
  let columnKeys: [Column]
  /// Per-position values of ``columnKeys``, interleaved: position `p`'s value of column `j` is
  /// at `p * columnKeys.count + j`.
  let values: [Double]
  /// The ranking metrics (binary tasks with scores): the engine's ``RankCode`` per rank.
  let ranks: [UInt8]
  /// A paired layout's position of each rank (a sorted layout walks its two runs instead).
  let ranking: [Int32]
  /// The positions of the positive class, when the ranking is laid out.
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

  /// Whether the ranking is laid out: the rank walk then also gives the confusion matrix.
  var ranked: Bool { positives != nil }

  /// Lays `engine`'s evaluation out for `metrics`.
  ///
  /// With `sortedStrata` false the positions keep row order within each stratum, so two
  /// evaluations of the same rows (a candidate and a baseline) share them: one draw of counts
  /// then resamples both (a paired bootstrap).
  init(_ engine: MetricEngine, metrics: [Metric], sortedStrata: Bool = true) {
    averagePrecision = metrics.contains(.areaUnderPR)
    let wanted = Set(metrics.flatMap(ResampleLayout.columns(of:))).sorted { "\($0)" < "\($1)" }
    switch engine.evaluation {
    case .regression(let data):
      classes = 0
      strata = [0..<data.truth.count]
      stratumClass = [0]
      self.sortedStrata = false
      predicted = ClassColumn()
      ranks = []
      ranking = []
      positives = nil
      cells = []
      columnKeys = wanted
      values = ResampleLayout.regressionValues(data, wanted)
    case .classification(let data):
      let k = data.classes.count
      classes = k
      var byClass = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
      for row in data.truth.indices { byClass[data.truth[row]][data.predicted[row]] += 1 }
      var strata: [Range<Int>] = []
      var stratumClass: [Int] = []
      for c in 0..<k {
        let size = Int(byClass[c].reduce(0, +))
        guard size > 0 else { continue }
        let start = strata.last?.upperBound ?? 0
        strata.append(start..<(start + size))
        stratumClass.append(c)
      }
      self.strata = strata
      self.stratumClass = stratumClass
      cells = stratumClass.map { byClass[$0] }
      let needsRanking = metrics.contains { $0 == .areaUnderROC || $0 == .areaUnderPR }
      let positiveStratum = data.positive.flatMap { stratumClass.firstIndex(of: $0) }
      let ranked =
        needsRanking && !engine.ranks.isEmpty && positiveStratum != nil && strata.count == 2
      self.sortedStrata = sortedStrata && ranked
      positives = ranked ? positiveStratum.map { strata[$0] } : nil
      ranks = ranked ? engine.ranks : []
      columnKeys = wanted
      // The stratum pass counts the confusion matrix when the rank walk does not and the rows
      // are drawn (not the cells).
      let rowPath = !sortedStrata || needsRanking || !wanted.isEmpty
      let needsPredicted = rowPath && !ranked
      let pairedRanking = ranked && !sortedStrata
      guard needsPredicted || pairedRanking || !wanted.isEmpty else {
        predicted = ClassColumn()
        ranking = []
        values = []
        return
      }
      let rows = ResampleLayout.rowAtPosition(
        data, strata: strata, stratumClass: stratumClass, sortedByScore: self.sortedStrata)
      predicted =
        needsPredicted ? ClassColumn(rows.lazy.map { data.predicted[Int($0)] }) : ClassColumn()
      if pairedRanking, let scores = data.positiveScores {
        var position = [Int32](repeating: 0, count: rows.count)
        for (index, row) in rows.enumerated() { position[Int(row)] = Int32(index) }
        ranking = MetricEngine.descendingOrder(scores).map { position[Int($0)] }
      } else {
        ranking = []
      }
      var values = [Double](repeating: 0, count: rows.count * wanted.count)
      for (j, column) in wanted.enumerated() {
        let metric: Metric = column == .logLoss ? .logLoss : .brierScore
        for (p, row) in rows.enumerated() {
          values[p * wanted.count + j] = MetricEngine.rowLoss(metric, data, Int(row))
        }
      }
      self.values = values
    }
  }

  /// The row at each position: strata in class order, each in descending score (ties in row
  /// order) or in row order.
  static func rowAtPosition(
    _ data: ClassificationData, strata: [Range<Int>], stratumClass: [Int], sortedByScore: Bool
  ) -> [Int32] {
    var cursor = [Int](repeating: 0, count: data.classes.count)
    for (s, range) in strata.enumerated() { cursor[stratumClass[s]] = range.lowerBound }
    var rows = [Int32](repeating: 0, count: data.truth.count)
    func place(_ row: Int32) {
      let c = data.truth[Int(row)]
      rows[cursor[c]] = row
      cursor[c] += 1
    }
    if sortedByScore, let scores = data.positiveScores {
      for row in MetricEngine.descendingOrder(scores) { place(row) }
    } else {
      for row in 0..<Int32(data.truth.count) { place(row) }
    }
    return rows
  }

  /// The row at each position of this layout of `engine`'s evaluation, recomputed (the layout
  /// does not keep it).
  func rows(of engine: MetricEngine) -> [Int32] {
    guard case .classification(let data) = engine.evaluation else {
      return (0..<Int32(positions)).map { $0 }
    }
    return ResampleLayout.rowAtPosition(
      data, strata: strata, stratumClass: stratumClass, sortedByScore: sortedStrata)
  }

  /// The regression columns, interleaved by row.
  private static func regressionValues(_ data: RegressionData, _ wanted: [Column]) -> [Double] {
    let n = Double(max(data.truth.count, 1))
    let meanTruth = data.truth.reduce(0, +) / n
    var meanError = 0.0
    for row in data.truth.indices { meanError += data.truth[row] - data.predicted[row] }
    meanError /= n
    var values = [Double](repeating: 0, count: data.truth.count * wanted.count)
    for row in data.truth.indices {
      let truth = data.truth[row]
      let error = truth - data.predicted[row]
      for (j, column) in wanted.enumerated() {
        let value: Double
        switch column {
        case .truth: value = truth - meanTruth
        case .truthSquared: value = (truth - meanTruth) * (truth - meanTruth)
        case .error: value = error - meanError
        case .errorCentredSquared: value = (error - meanError) * (error - meanError)
        case .errorSquared: value = error * error
        case .absoluteError: value = abs(error)
        case .percentError: value = abs(error) / max(abs(truth), MetricEngine.epsilon)
        case .logLoss, .brier: value = .nan
        }
        values[row * wanted.count + j] = value
      }
    }
    return values
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
