import Testing

@testable import MLGate

@Suite struct SeededRandomTests {
  @Test func sameSeedSameStream() {
    var a = SeededRandom(seed: 42, stream: "x")
    var b = SeededRandom(seed: 42, stream: "x")
    var c = SeededRandom(seed: 42, stream: "y")
    let first = (0..<5).map { _ in a.next() }
    #expect(first == (0..<5).map { _ in b.next() })
    #expect(first != (0..<5).map { _ in c.next() })
  }

  @Test func belowIsUniformEnough() {
    var random = SeededRandom(seed: 1)
    var counts = [Int](repeating: 0, count: 10)
    for _ in 0..<100_000 { counts[random.below(10)] += 1 }
    // Each bucket expects 10 000; 5 standard deviations is about ±475.
    #expect(counts.allSatisfy { abs($0 - 10_000) < 475 }, "\(counts)")
  }
}
