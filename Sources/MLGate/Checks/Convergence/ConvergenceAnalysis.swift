import Foundation

/// The convergence checks of one loss series, in the notes' order (§2), each with a verdict and
/// a sentence that names the epoch (step, round) it is about.
package struct ConvergenceAnalysis: Sendable {
  /// The checks, in the order they run.
  package enum Step: String, Sendable, CaseIterable {
    case finite = "all values finite"
    case enoughPoints = "enough points"
    case relativeDrop = "relative drop"
    case trend = "decreasing trend"
    case noDivergence = "no divergence"
    case spikes = "no spikes"
    case improving = "improving early"
    case overfitting = "no overfitting"
  }

  /// A check's verdict.
  package enum Outcome: String, Sendable {
    case pass, fail, warn, inconclusive
    case notRun = "not run"
  }

  /// One check's verdict and what it found.
  package struct Finding: Sendable {
    /// The check.
    package var step: Step
    /// Its verdict.
    package var outcome: Outcome
    /// One sentence with the figures and the epochs they are about.
    package var message: String
  }

  /// The series judged (warm-up dropped).
  package var series: LossSeries
  /// The validation partner, if any.
  package var validation: LossSeries?
  /// The findings, in ``Step`` order (``Step/overfitting`` only with a validation series).
  package var findings: [Finding] = []
  /// The first and last windows of the relative-drop check.
  package var windows: (first: Range<Int>, last: Range<Int>)?
  /// The tail the divergence check looks at.
  package var tail: Range<Int>?
  /// The index of the best (lowest) value.
  package var best: Int?
  /// Indices of spikes.
  package var spikes: [Int] = []
  /// The index of the first non-finite value.
  package var nonFinite: Int?
  /// The trend test and Sen's slope.
  package var trend: (test: MannKendall, slope: SenSlope, blocked: Bool)?

  /// The verdict over every finding: a failure fails, too few points is inconclusive.
  package var outcome: Outcome {
    if findings.contains(where: { $0.outcome == .fail }) { return .fail }
    if findings.contains(where: { $0.outcome == .inconclusive }) { return .inconclusive }
    if findings.contains(where: { $0.outcome == .warn }) { return .warn }
    return .pass
  }

  /// Runs every check on `series` (and `validation`) against `criteria`.
  package init(
    series raw: LossSeries, validation rawValidation: LossSeries? = nil,
    criteria: ConvergenceCriteria
  ) {
    series = raw.dropping(before: criteria.startFrom)
    validation = rawValidation?.dropping(before: criteria.startFrom)
    run(criteria)
  }

  private mutating func add(_ step: Step, _ outcome: Outcome, _ message: String) {
    findings.append(Finding(step: step, outcome: outcome, message: message))
  }

  private mutating func skipRest(after step: Step, because reason: String) {
    let steps = Step.allCases.drop { $0 != step }.dropFirst()
    for later in steps where later != .overfitting || validation != nil {
      add(later, .notRun, reason)
    }
  }

  private mutating func run(_ criteria: ConvergenceCriteria) {
    let v = series.values
    let n = v.count
    let name = series.name
    if let bad = v.firstIndex(where: { !$0.isFinite }) {
      nonFinite = bad
      add(.finite, .fail, "\(name) is \(LossSeries.describe(v[bad])) at \(series.at(bad))")
      return skipRest(after: .finite, because: "the series is not finite")
    }
    add(.finite, .pass, "all \(n) values of \(name) are finite")
    let minimum = criteria.minPoints ?? series.axis.minimumPoints
    guard n >= minimum else {
      add(
        .enoughPoints, .inconclusive,
        "only \(n) \(series.axis.rawValue)s after warm-up, fewer than \(minimum): too few to judge convergence"
      )
      return skipRest(after: .enoughPoints, because: "too few points")
    }
    add(.enoughPoints, .pass, "\(n) \(series.axis.rawValue)s")
    relativeDrop(criteria)
    trendTest(criteria)
    divergence(criteria)
    spikeScan(criteria)
    improvingEarly(criteria)
    if validation != nil { overfittingCheck(criteria) }
  }

  private mutating func relativeDrop(_ criteria: ConvergenceCriteria) {
    let v = series.values
    let n = v.count
    let w = max(3, Int((Double(n) / 10).rounded(.up)))
    let first = 0..<min(w, n)
    let last = max(0, n - w)..<n
    windows = (first, last)
    let head = MannKendall.median(Array(v[first]))
    let end = MannKendall.median(Array(v[last]))
    let drop = (head - end) / max(abs(head), 1e-12)
    let text =
      "median \(TextFormat.figure(head)) over \(series.span(first)) → \(TextFormat.figure(end)) over \(series.span(last)): a drop of \(TextFormat.percent(drop))"
    if drop < criteria.minRelativeDrop {
      add(
        .relativeDrop, .fail,
        "\(series.name) barely fell: \(text), below \(TextFormat.percent(criteria.minRelativeDrop))"
      )
    } else {
      add(.relativeDrop, .pass, text)
    }
  }

  private mutating func trendTest(_ criteria: ConvergenceCriteria) {
    let (values, xs, blocked) = LossTrend.reduced(series)
    let m = values.count
    let test = m >= 10 ? MannKendall.hamedRao(values, alpha: criteria.alpha) : .original(values)
    let slope = SenSlope.fit(y: values, x: xs, confidence: 1 - criteria.alpha)
    trend = (test, slope, blocked)
    var text =
      "Mann–Kendall\(m >= 10 ? " (Hamed–Rao)" : "") Z = \(TextFormat.significant(test.z)), p = \(TextFormat.significant(test.p)), n = \(m)\(blocked ? " block means of \(series.count) points" : ""); Sen slope \(TextFormat.significant(slope.slope)) per \(series.axis.rawValue) [\(TextFormat.significant(slope.lower)), \(TextFormat.significant(slope.upper))]"
    if test.z < 0, test.p < criteria.alpha {
      add(.trend, .pass, text)
    } else if m < 10 {
      text += ": no significant decrease, but \(m) points are too few for the test to be sure"
      add(.trend, .warn, text)
    } else {
      add(
        .trend, .fail,
        "\(series.name) shows no significant decrease over \(series.span(0..<series.count)): \(text)"
      )
    }
  }

  private mutating func divergence(_ criteria: ConvergenceCriteria) {
    let v = series.values
    let n = v.count
    let t = min(n, max(5, Int((0.2 * Double(n)).rounded(.up))))
    let range = (n - t)..<n
    tail = range
    let (tailValues, _, blocked) = LossTrend.reduced(
      LossSeries(
        name: series.name, axis: series.axis, x: Array(series.x[range]), values: Array(v[range])))
    let test = MannKendall.original(tailValues)
    // Step losses are noisy batch by batch: there the medians of windows of w points (each
    // ending at its point) stand in for the points.
    var smoothed = v
    var ending = Array(v.indices)
    var kind = ""
    if series.axis == .step {
      let w = max(3, Int((Double(n) / 10).rounded(.up)))
      if n >= w {
        smoothed = (0...(n - w)).map { MannKendall.median(Array(v[$0..<($0 + w)])) }
        ending = (0...(n - w)).map { $0 + w - 1 }
        kind = "the median of \(w) points "
      }
    }
    let low = smoothed.indices.min { smoothed[$0] < smoothed[$1] } ?? 0
    let bestIndex = ending[low]
    best = v.indices.min { v[$0] < v[$1] } ?? 0
    let bestValue = smoothed[low]
    let finalValue = smoothed[smoothed.count - 1]
    let excess = finalValue - bestValue
    let allowed = max(criteria.maxFinalAboveBest * abs(bestValue), 1e-8)
    var problems: [String] = []
    if test.z > 0, test.p < criteria.alpha {
      problems.append(
        "\(series.name) rises over the last \(t) \(series.axis.rawValue)s (\(series.span(range))): Mann–Kendall Z = \(TextFormat.significant(test.z)), p = \(TextFormat.significant(test.p))\(blocked ? " on block means" : "")"
      )
    }
    if excess > allowed {
      problems.append(
        "the final \(kind)\(TextFormat.figure(finalValue)) at \(series.at(n - 1)) is \(TextFormat.percent(excess / max(abs(bestValue), 1e-12))) above the best \(kind)\(TextFormat.figure(bestValue)) at \(series.at(bestIndex)) (allowed \(TextFormat.percent(criteria.maxFinalAboveBest)))"
      )
    }
    if problems.isEmpty {
      add(
        .noDivergence, .pass,
        "no significant rise over \(series.span(range)); final \(kind)\(TextFormat.figure(finalValue)) within \(TextFormat.percent(criteria.maxFinalAboveBest)) of the best \(kind)\(TextFormat.figure(bestValue)) at \(series.at(bestIndex))"
      )
    } else {
      add(.noDivergence, .fail, problems.joined(separator: "; "))
    }
  }

  private mutating func spikeScan(_ criteria: ConvergenceCriteria) {
    let v = series.values
    let smooth = LossTrend.ema(v)
    var found: [String] = []
    for t in v.indices.dropFirst()
    where smooth[t - 1] > 0 && v[t] > criteria.spikeFactor * smooth[t - 1] {
      spikes.append(t)
      if found.count < 5 {
        found.append(
          "\(series.at(t)): \(TextFormat.figure(v[t])) > \(TextFormat.significant(criteria.spikeFactor)) × the running average \(TextFormat.figure(smooth[t - 1]))"
        )
      }
    }
    if spikes.isEmpty {
      add(
        .spikes, .pass,
        "no value above \(TextFormat.significant(criteria.spikeFactor)) × the running average")
    } else {
      add(
        .spikes, .warn,
        "\(spikes.count) spike\(spikes.count == 1 ? "" : "s"): " + found.joined(separator: "; "))
    }
  }

  private mutating func improvingEarly(_ criteria: ConvergenceCriteria) {
    let v = series.values
    let n = v.count
    let patience = criteria.patience ?? max(3, Int((0.1 * Double(n)).rounded(.up)))
    var best = v[0]
    var lastImprovement = 0
    var firstImprovement: Int?
    for t in v.indices.dropFirst() {
      if v[t] < best - max(criteria.minDelta, criteria.minDeltaRelative * abs(best)) {
        best = v[t]
        lastImprovement = t
        if firstImprovement == nil { firstImprovement = t }
      }
    }
    let since = n - 1 - lastImprovement
    let delta =
      "min_delta \(TextFormat.significant(criteria.minDelta)) or \(TextFormat.percent(criteria.minDeltaRelative)) of the best"
    guard let first = firstImprovement, first <= patience else {
      add(
        .improving, .fail,
        "\(series.name) is stuck: no improvement beyond \(delta) in the first \(patience) \(series.axis.rawValue)s after \(series.at(0))\(firstImprovement.map { " (the first came at \(series.at($0)))" } ?? "")"
      )
      return
    }
    var text =
      "first improvement at \(series.at(first)) (patience \(patience)); last at \(series.at(lastImprovement))"
    if since >= patience {
      text +=
        ", then \(since) \(series.axis.rawValue)s without improvement: early stopping with this patience would have stopped at \(series.at(min(n - 1, lastImprovement + patience))) (a plateau at the end is convergence)"
    } else {
      text += ": still improving"
    }
    add(.improving, .pass, text)
  }

  private mutating func overfittingCheck(_ criteria: ConvergenceCriteria) {
    guard let validation, validation.count > 0 else {
      return add(.overfitting, .inconclusive, "the validation series has no points after warm-up")
    }
    let vv = validation.values
    if let bad = vv.firstIndex(where: { !$0.isFinite }) {
      return add(
        .overfitting, .fail,
        "\(validation.name) is \(LossSeries.describe(vv[bad])) at \(validation.at(bad))")
    }
    let minIndex = vv.indices.min { vv[$0] < vv[$1] } ?? 0
    let last = vv.count - 1
    let rise = vv[last] / vv[minIndex] - 1
    let trainFalls = findings.contains { $0.step == .trend && $0.outcome == .pass }
    // The training value at the validation's last x (else the last training value).
    let trainIndex = series.x.lastIndex { $0 <= validation.x[last] } ?? series.count - 1
    let trainLast = series.values[trainIndex]
    let gap = (vv[last] - trainLast) / max(abs(trainLast), 1e-12)
    if vv[minIndex] > 0, rise > criteria.maxValidationRise, trainFalls {
      return add(
        .overfitting, criteria.overfitting == .fail ? .fail : .warn,
        "\(validation.name) turned up: from its minimum \(TextFormat.figure(vv[minIndex])) at \(validation.at(minIndex)) to \(TextFormat.figure(vv[last])) at \(validation.at(last)) (+\(TextFormat.percent(rise)), allowed \(TextFormat.percent(criteria.maxValidationRise))) while \(series.name) kept falling"
      )
    }
    if gap > criteria.maxGap {
      return add(
        .overfitting, .warn,
        "\(validation.name) \(TextFormat.figure(vv[last])) at \(validation.at(last)) is \(TextFormat.percent(gap)) above \(series.name) \(TextFormat.figure(trainLast)): a wide generalisation gap"
      )
    }
    add(
      .overfitting, .pass,
      "\(validation.name) ends \(TextFormat.percent(max(rise, 0))) above its minimum \(TextFormat.figure(vv[minIndex])) at \(validation.at(minIndex)); gap to \(series.name) \(TextFormat.percent(gap))"
    )
  }
}

extension LossSeries {
  /// "NaN", "+∞", "−∞".
  static func describe(_ value: Double) -> String {
    value.isNaN ? "NaN" : value > 0 ? "+infinity" : "-infinity"
  }
}

/// The smoothing and reduction shared by the checks and the plot.
package enum LossTrend {
  /// Series longer than this are tested on block means.
  static let maxTestedPoints = 200
  /// The number of blocks a long series is cut into.
  static let blocks = 50

  /// The values and x the trend tests see: the series, or 50 block means when it has more than
  /// 200 points (Mann–Kendall is O(n²), and block means tame step-to-step noise).
  package static func reduced(_ series: LossSeries) -> (
    values: [Double], x: [Double], blocked: Bool
  ) {
    let n = series.count
    guard n > maxTestedPoints else { return (series.values, series.x, false) }
    var values: [Double] = []
    var xs: [Double] = []
    for k in 0..<blocks {
      let range = (k * n / blocks)..<((k + 1) * n / blocks)
      values.append(series.values[range].reduce(0, +) / Double(range.count))
      xs.append(series.x[range].reduce(0, +) / Double(range.count))
    }
    return (values, xs, true)
  }

  /// The debiased exponential moving average, TensorBoard's smoothing.
  ///
  /// With weight `beta` on the past: ema_t = raw_t / (1 − βᵗ⁺¹), raw_t = β raw_{t−1} + (1 − β) v_t.
  /// A non-finite value is skipped: NaN at its place, the average carried over it.
  package static func ema(_ values: [Double], beta: Double = 0.6) -> [Double] {
    var raw = 0.0
    var power = 1.0
    return values.map { value in
      guard value.isFinite else { return .nan }
      raw = beta * raw + (1 - beta) * value
      power *= beta
      return raw / (1 - power)
    }
  }
}
