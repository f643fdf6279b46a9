import Testing

@testable import MLGate

/// The test vectors of shared/notes/statistics.md §7 (from statsmodels, pROC and scipy).
@Suite struct NotesTestVectorTests {
  func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
  }

  @Test func mcNemar() {
    let test = McNemar(b: 15, c: 5)
    #expect(close(test.twoSided, 0.041389))
    #expect(close(test.candidateWorse, 0.020695))
    #expect(close(test.chiSquared.statistic, 4.05))
    #expect(close(test.chiSquared.p, 0.044171))
    // The notes round Connor's N (925.29, 6180.46) to the nearest row.
    #expect(McNemar.sampleSize(discordance: 0.06, delta: 0.02).rounded() == 925)
    #expect(McNemar.sampleSize(discordance: 0.10, delta: 0.01).rounded() == 6180)
    let drop = McNemar.minimumDetectableDrop(total: 925, discordance: 0.06)
    #expect(close(drop, 0.02, 1e-4))
  }

  @Test func holmAndBenjaminiHochberg() {
    let p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205]
    let holm = MultipleTesting.holm(p)
    let expectedHolm = [0.008, 0.056, 0.234, 0.234, 0.234, 0.234, 0.234, 0.234]
    for (a, b) in zip(holm, expectedHolm) { #expect(close(a, b, 1e-9)) }
    let bh = MultipleTesting.benjaminiHochberg(p)
    let expectedBH = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.080, 0.0846, 0.205]
    for (a, b) in zip(bh, expectedBH) { #expect(close(a, b, 1e-4)) }
  }

  @Test func deLong() throws {
    let y = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0].map { $0 == 1 }
    let s1 = [0.9, 0.8, 0.7, 0.6, 0.4, 0.5, 0.3, 0.2, 0.35, 0.1, 0.65, 0.45]
    let s2 = [0.85, 0.6, 0.75, 0.3, 0.5, 0.55, 0.4, 0.2, 0.1, 0.15, 0.7, 0.6]
    let test = try #require(DeLong(positive: y, first: s1, second: s2))
    #expect(close(test.auc.0, 0.944444))
    #expect(close(test.auc.1, 0.847222))
    #expect(close(test.covariance[0][0], 0.0043210))
    #expect(close(test.covariance[0][1], 0.0044753))
    #expect(close(test.covariance[1][1], 0.0133488))
    #expect(close(test.z.map(abs), 1.041187))
    #expect(close(test.twoSided, 0.297789))
  }

  @Test func driftDistances() {
    let reference = [0.17, 0.40, 0.27, 0.13, 0.03]
    let current = [0.08, 0.24, 0.28, 0.32, 0.08]
    #expect(close(DriftStatistics.psi(expected: reference, actual: current), 0.370126))
    #expect(close(DriftStatistics.jensenShannon(reference, current), 0.212206))
    #expect(close(DriftStatistics.jensenShannon(reference, current, base2: true), 0.254885))
    #expect(close(DriftStatistics.lInfinity(reference, current), 0.19, 1e-12))
  }

  @Test func disparateImpactWithKatzInterval() throws {
    let di = DisparateImpact(favourable: 60, of: 100, referenceFavourable: 140, of: 200)
    #expect(close(di.ratio, 0.857143))
    let interval = try #require(di.interval)
    // The notes' figures use z = 1.96; mlgate uses the exact quantile 1.959964.
    #expect(close(interval.lower, 0.713114, 5e-6))
    #expect(close(interval.upper, 1.030262, 5e-6))
  }
}
