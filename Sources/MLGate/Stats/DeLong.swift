/// DeLong's test for two correlated areas under the ROC curve on the same rows, by Sun and Xu's
/// midrank algorithm (O(n log n)): the notes §1, pROC's `roc.test` default.
package struct DeLong: Sendable {
  /// The two areas.
  package var auc: (Double, Double)
  /// The covariance matrix of the two areas: S = S10/m + S01/n.
  package var covariance: [[Double]]
  /// z = (AUC₂ − AUC₁) / √(S₁₁ + S₂₂ − 2 S₁₂); nil when the variance is 0.
  package var z: Double?

  /// The two-sided p-value.
  package var twoSided: Double? { z.map { 2 * NormalDistribution.cdf(-abs($0)) } }

  /// The one-sided p-value that the second area is below the first: P(Z ≤ z).
  package var secondWorse: Double? { z.map { NormalDistribution.cdf($0) } }

  /// Compares `first` and `second` scores of the same rows against `positive` labels; nil when
  /// a class is missing.
  package init?(positive: [Bool], first: [Double], second: [Double]) {
    let positives = positive.indices.filter { positive[$0] }
    let negatives = positive.indices.filter { !positive[$0] }
    let m = Double(positives.count)
    let n = Double(negatives.count)
    guard m > 1, n > 1 else { return nil }
    var v10: [[Double]] = []
    var v01: [[Double]] = []
    var areas: [Double] = []
    for scores in [first, second] {
      let x = positives.map { scores[$0] }
      let y = negatives.map { scores[$0] }
      let tz = DeLong.midranks(x + y)
      let tx = DeLong.midranks(x)
      let ty = DeLong.midranks(y)
      let area = tz.prefix(x.count).reduce(0, +) / (m * n) - (m + 1) / (2 * n)
      areas.append(area)
      v10.append(x.indices.map { (tz[$0] - tx[$0]) / n })
      v01.append(y.indices.map { 1 - (tz[x.count + $0] - ty[$0]) / m })
    }
    func sampleCovariance(_ v: [[Double]], _ a: Int, _ b: Int) -> Double {
      let count = Double(v[a].count)
      let meanA = v[a].reduce(0, +) / count
      let meanB = v[b].reduce(0, +) / count
      var sum = 0.0
      for i in v[a].indices { sum += (v[a][i] - meanA) * (v[b][i] - meanB) }
      return sum / (count - 1)
    }
    var s = [[0.0, 0.0], [0.0, 0.0]]
    for a in 0..<2 {
      for b in 0..<2 { s[a][b] = sampleCovariance(v10, a, b) / m + sampleCovariance(v01, a, b) / n }
    }
    auc = (areas[0], areas[1])
    self.covariance = s
    let variance = s[0][0] + s[1][1] - 2 * s[0][1]
    z = variance > 1e-300 ? (areas[1] - areas[0]) / variance.squareRoot() : nil
  }

  /// 1-based ranks, ties given their average rank.
  static func midranks(_ values: [Double]) -> [Double] { MannKendall.averageRanks(values) }
}
