import Foundation
import Testing

@testable import MLGate

/// The bootstrap's resampling engine against the metric engine and against exact distributions.
struct ResamplerTests {
  /// Every metric the fixture's evaluation can give.
  static func metrics(_ engine: MetricEngine) -> [Metric] {
    Metric.allCases.filter { engine.unavailability($0) == nil && engine.value($0).isFinite }
  }

  @Test(
    "a resample's figures equal the metric engine's with the same row weights",
    arguments: ["credit", "breast_cancer", "wine", "diabetes"])
  func resamplesMatchTheMetricEngine(fixture: String) throws {
    let engine = MetricEngine(try MetricEngineTests.load(fixture).evaluation)
    let metrics = Self.metrics(engine)
    #expect(metrics.count >= 6)
    let layout = ResampleLayout(engine, metrics: metrics)
    var resampler = Resampler(layout, metrics: metrics)
    var random = SeededRandom(seed: 11, stream: "test")
    let positive: Int? =
      if case .classification(let data) = engine.evaluation { data.positive } else { nil }
    var drawn = [[UInt8](repeating: 1, count: layout.positions)]
    for _ in 0..<10 { drawn.append(resampler.drawCounts(using: &random)) }
    for counts in drawn {
      #expect(counts.reduce(0) { $0 + Int($1) } == layout.positions)
      var weights = [Double](repeating: 0, count: layout.positions)
      for (position, row) in layout.rows(of: engine).enumerated() {
        weights[Int(row)] = Double(counts[position])
      }
      let totals = resampler.totals(counts)
      for metric in metrics {
        let expected = engine.value(metric, weights: weights)
        let ours = totals.value(metric, positive: positive)
        #expect(
          abs(ours - expected) <= 1e-9 * max(1, abs(expected)),
          "\(fixture) \(metric.rawValue): resampler \(ours), metric engine \(expected)")
      }
    }
  }

  @Test(
    "resampling the confusion matrix's cells has the distribution of resampling its rows",
    arguments: ["credit", "wine/expected-weak"])
  func cellsResampleLikeRows(fixture: String) throws {
    let engine = MetricEngine(try MetricEngineTests.load(fixture).evaluation)
    let metrics: [Metric] = [.accuracy, .macroF1]
    let layout = ResampleLayout(engine, metrics: metrics)
    #expect(layout.cellsSuffice(metrics))
    var cells = Resampler(layout, metrics: metrics)
    var rows = Resampler(
      ResampleLayout(engine, metrics: metrics + [.logLoss]), metrics: metrics + [.logLoss])
    var random = SeededRandom(seed: 5, stream: "test")
    let draws = 4000
    for metric in metrics {
      var a: [Double] = []
      var b: [Double] = []
      for _ in 0..<draws {
        a.append(cells.draw(using: &random).value(metric, positive: nil))
        b.append(rows.draw(using: &random).value(metric, positive: nil))
      }
      func moments(_ x: [Double]) -> (mean: Double, sd: Double) {
        let mean = x.reduce(0, +) / Double(x.count)
        return (
          mean,
          (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
        )
      }
      let (ma, sa) = moments(a)
      let (mb, sb) = moments(b)
      // Means within 4 standard errors of their difference; spreads within 8 %.
      #expect(abs(ma - mb) <= 4 * (sa * sa / Double(draws) + sb * sb / Double(draws)).squareRoot())
      #expect(abs(sa / sb - 1) <= 0.08, "\(fixture) \(metric.rawValue): sd \(sa) vs \(sb)")
      #expect(abs(ma - engine.value(metric)) <= 4 * sa / Double(draws).squareRoot() + 0.2 * sa)
    }
  }

  @Test(
    "binomial draws fit the exact distribution (χ² goodness of fit)",
    arguments: [(20, 0.3), (1000, 0.004), (1000, 0.3), (300_000, 0.7), (57, 0.5), (12, 0.95)])
  func binomialDrawsFitTheDistribution(trials: Int, probability: Double) {
    var random = SeededRandom(seed: 3, stream: "binomial")
    let draws = 20_000
    var histogram = [Int: Int]()
    for _ in 0..<draws {
      let k = Binomial.sample(trials: trials, probability: probability, using: &random)
      #expect((0...trials).contains(k))
      histogram[k, default: 0] += 1
    }
    // Bins of consecutive values with an expected count of at least 20.
    func pmf(_ k: Int) -> Double {
      exp(
        lgamma(Double(trials + 1)) - lgamma(Double(k + 1)) - lgamma(Double(trials - k + 1))
          + Double(k) * log(probability) + Double(trials - k) * log1p(-probability))
    }
    var statistic = 0.0
    var bins = 0
    var expected = 0.0
    var observed = 0
    for k in 0...trials {
      expected += pmf(k) * Double(draws)
      observed += histogram[k] ?? 0
      if expected >= 20 || k == trials {
        statistic +=
          (Double(observed) - expected) * (Double(observed) - expected) / max(expected, 1e-300)
        bins += 1
        expected = 0
        observed = 0
      }
    }
    let p = SpecialFunctions.chiSquaredSurvival(statistic, degreesOfFreedom: max(bins - 1, 1))
    #expect(
      p > 0.001, "Binomial(\(trials), \(probability)): χ² \(statistic) on \(bins - 1) df, p \(p)")
    let mean = Double(histogram.reduce(0) { $0 + $1.key * $1.value }) / Double(draws)
    let sd = (Double(trials) * probability * (1 - probability)).squareRoot()
    #expect(abs(mean - Double(trials) * probability) <= 5 * sd / Double(draws).squareRoot())
  }

  @Test func multinomialDrawsAddUpToTheTrials() {
    var random = SeededRandom(seed: 9)
    for trials in [0, 1, 7, 500, 100_000] {
      var counts = [Double](repeating: 0, count: 5)
      Multinomial.sample(trials: trials, weights: [3, 0, 1, 6, 0], into: &counts, using: &random)
      #expect(counts.reduce(0, +) == Double(trials))
      #expect(counts[1] == 0 && counts[4] == 0)
    }
  }
}
