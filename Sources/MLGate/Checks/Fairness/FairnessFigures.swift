/// The favourable-outcome counts of a monitored and a reference group, and the fairness
/// metrics with their intervals.
struct FairnessFigures: Sendable {
  /// One group's counts.
  struct Counts: Sendable {
    /// Rows.
    var n = 0
    /// Predicted favourable.
    var favourable = 0
    /// Truly favourable, and of those predicted favourable (true positives of the favourable
    /// outcome).
    var trulyFavourable = 0
    var truePositives = 0
    /// Truly unfavourable, and of those predicted favourable.
    var trulyUnfavourable = 0
    var falsePositives = 0

    var rate: Double { n > 0 ? Double(favourable) / Double(n) : .nan }
    var truePositiveRate: Double {
      trulyFavourable > 0 ? Double(truePositives) / Double(trulyFavourable) : .nan
    }
    var falsePositiveRate: Double {
      trulyUnfavourable > 0 ? Double(falsePositives) / Double(trulyUnfavourable) : .nan
    }
  }

  var monitored = Counts()
  var reference = Counts()

  /// Counts the groups of `attribute` in the scored data.
  init(
    _ attribute: FairnessConfig.Attribute, favourable: [String], scored: ScoredData
  ) throws(ScoringError) {
    guard case .classification(let data) = scored.evaluation else {
      throw .suite("fairness needs a classification task")
    }
    guard let column = scored.kept[attribute.name] else {
      throw .suite(
        "the attribute '\(attribute.name)' is not a column of \(scored.file.displayName)")
    }
    let isFavourable = data.classes.map(favourable.contains)
    guard isFavourable.contains(true) else {
      throw .suite(
        "no class is favourable: 'favourable' names \(favourable.joined(separator: ", ")); the model's classes are \(data.classes.joined(separator: ", "))"
      )
    }
    for row in data.truth.indices {
      let value = column[row]
      if value.labelText == nil { continue }
      let inMonitored = attribute.monitored.contains(value)
      let inReference = attribute.reference.map { $0.contains(value) } ?? !inMonitored
      guard inMonitored || inReference else { continue }
      let predicted = isFavourable[data.predicted[row]]
      let truth = isFavourable[data.truth[row]]
      func add(_ counts: inout Counts) {
        counts.n += 1
        if predicted { counts.favourable += 1 }
        if truth {
          counts.trulyFavourable += 1
          if predicted { counts.truePositives += 1 }
        } else {
          counts.trulyUnfavourable += 1
          if predicted { counts.falsePositives += 1 }
        }
      }
      if inMonitored { add(&monitored) } else { add(&reference) }
    }
  }

  /// A metric's estimate and 95 % interval (nil bounds when undefined).
  func figure(_ metric: FairnessMetric, confidence: Double = 0.95) -> (
    estimate: Double, lower: Double, upper: Double
  ) {
    switch metric {
    case .disparateImpact:
      let di = DisparateImpact(
        favourable: monitored.favourable, of: monitored.n,
        referenceFavourable: reference.favourable, of: reference.n, confidence: confidence)
      return (di.ratio, di.interval?.lower ?? .nan, di.interval?.upper ?? .nan)
    case .statisticalParityDifference:
      return FairnessFigures.newcombe(
        monitored.favourable, monitored.n, reference.favourable, reference.n, confidence)
    case .equalOpportunityDifference:
      return FairnessFigures.newcombe(
        monitored.truePositives, monitored.trulyFavourable, reference.truePositives,
        reference.trulyFavourable, confidence)
    case .averageOddsDifference:
      let value =
        0.5
        * ((monitored.falsePositiveRate - reference.falsePositiveRate)
          + (monitored.truePositiveRate - reference.truePositiveRate))
      return (value, .nan, .nan)
    }
  }

  /// The difference of two proportions with Newcombe's hybrid score interval (from the two
  /// Wilson intervals).
  static func newcombe(_ x1: Int, _ n1: Int, _ x0: Int, _ n0: Int, _ confidence: Double) -> (
    estimate: Double, lower: Double, upper: Double
  ) {
    guard n1 > 0, n0 > 0 else { return (.nan, .nan, .nan) }
    let a = WilsonInterval(successes: x1, n: n1, confidence: confidence)
    let b = WilsonInterval(successes: x0, n: n0, confidence: confidence)
    let difference = a.estimate - b.estimate
    let below =
      ((a.estimate - a.lower) * (a.estimate - a.lower)
      + (b.upper - b.estimate) * (b.upper - b.estimate)).squareRoot()
    let above =
      ((a.upper - a.estimate) * (a.upper - a.estimate)
      + (b.estimate - b.lower) * (b.estimate - b.lower)).squareRoot()
    return (difference, difference - below, difference + above)
  }
}
