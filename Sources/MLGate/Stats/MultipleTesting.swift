/// Adjusted p-values for many tests at once (slices, features): Holm's step-down
/// family-wise control and Benjamini–Hochberg's false discovery rate, as statsmodels'
/// `multipletests` computes them (`holm`, `fdr_bh`).
package enum MultipleTesting {
  /// Holm: p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎), in the input's order.
  package static func holm(_ p: [Double]) -> [Double] {
    let m = p.count
    let order = p.indices.sorted { p[$0] < p[$1] }
    var adjusted = [Double](repeating: 1, count: m)
    var running = 0.0
    for (rank, index) in order.enumerated() {
      running = max(running, min(1, Double(m - rank) * p[index]))
      adjusted[index] = running
    }
    return adjusted
  }

  /// Benjamini–Hochberg: p̃₍ᵢ₎ = min_{j ≥ i} min(1, m p₍ⱼ₎ / j), in the input's order.
  package static func benjaminiHochberg(_ p: [Double]) -> [Double] {
    let m = p.count
    let order = p.indices.sorted { p[$0] < p[$1] }
    var adjusted = [Double](repeating: 1, count: m)
    var running = 1.0
    for (rank, index) in order.enumerated().reversed() {
      running = min(running, min(1, Double(m) * p[index] / Double(rank + 1)))
      adjusted[index] = running
    }
    return adjusted
  }
}
