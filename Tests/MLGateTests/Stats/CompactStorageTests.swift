import Foundation
import PropertyBased
import Testing

@testable import MLGate

/// The compact per-row storage of a scored run: the in-place sort, the one-byte class column
/// and the paged column give what the plain arrays and the standard library give.
@Suite struct CompactStorageTests {
  /// The standard library's stable sort of the rows by descending score.
  static func stableOrder(_ scores: [Double]) -> [Int32] {
    scores.indices.sorted { scores[$0] > scores[$1] }.map { Int32($0) }
  }

  /// Any scores, with many ties, short runs and long ones, sort as the stable sort sorts them.
  @Test func theInPlaceSortIsTheStableSort() async {
    let few = Gen.int(in: 0...6).map { [0.0, 0.25, 0.5, 0.5, 0.75, 1.0, -0.0][$0] }
    await propertyCheck(
      count: 300, input: few.array(of: 0...400), Gen.double(in: 0...1).array(of: 0...400)
    ) { tied, spread in
      #expect(DescendingOrder.of(tied) == Self.stableOrder(tied))
      #expect(DescendingOrder.of(spread) == Self.stableOrder(spread))
    }
  }

  @Test func sortedAndReversedRunsAndNaNsSortWithoutScratch() {
    let n = 100_000
    let ascending = (0..<n).map { Double($0 % 1000) / 1000 }
    #expect(DescendingOrder.of(ascending) == Self.stableOrder(ascending))
    let descending = ascending.reversed().map { $0 }
    #expect(DescendingOrder.of(descending) == Self.stableOrder(descending))
    let constant = [Double](repeating: 0.5, count: n)
    #expect(DescendingOrder.of(constant) == (0..<Int32(n)).map { $0 })
    // NaNs come last, in row order; infinities keep their places.
    let odd: [Double] = [.nan, 1, -.infinity, .infinity, .nan, 0]
    #expect(DescendingOrder.of(odd) == [3, 1, 5, 2, 0, 4])
  }

  /// The rank codes written over the sorted order are the codes of the stable order.
  @Test func rankCodesAreTheStableOrdersCodes() {
    var random = SeededRandom(seed: 3, stream: "codes")
    for n in [0, 1, 2, 3, 1023, 1024, 1025, 5000, 100_003] {
      let scores = (0..<n).map { _ in Double(random.below(97)) / 96 }
      let order = Self.stableOrder(scores)
      let expected = order.indices.map { t -> UInt8 in
        let row = Int(order[t])
        let ends = t == n - 1 || scores[row] != scores[Int(order[t + 1])]
        return UInt8(row % 61) << 1 | (ends ? 1 : 0)
      }
      let codes = DescendingOrder.codes(scores) { row, ends in
        UInt8(row % 61) << 1 | (ends ? 1 : 0)
      }
      #expect(codes == expected, "\(n) rows")
    }
  }

  @Test func aClassColumnHoldsIndicesPastOneByte() {
    var column = ClassColumn([0, 1, 255])
    #expect(column.isNarrow)
    column.append(256)
    column.append(65_535)
    #expect(!column.isNarrow)
    #expect(Array(column) == [0, 1, 255, 256, 65_535])
    #expect(column == ClassColumn([0, 1, 255, 256, 65_535]))
  }

  @Test func aPagedColumnDrainsWhatWasAppended() {
    for count in [0, 1, 131_071, 131_072, 131_073, 400_000] {
      let column = PagedColumn<Double>()
      for i in 0..<count { column.append(Double(i) * 0.5) }
      #expect(column.count == count)
      let values = column.drain()
      #expect(values.count == count)
      #expect(values.enumerated().allSatisfy { $0.element == Double($0.offset) * 0.5 })
      #expect(column.count == 0)
    }
    let codes = PagedColumn<UInt16>()
    for i in 0..<1_000_000 { codes.append(UInt16(i % 60_000)) }
    var seen = 0
    var inOrder = true
    codes.drain { page in
      for code in page {
        inOrder = inOrder && Int(code) == seen % 60_000
        seen += 1
      }
    }
    #expect(seen == 1_000_000 && inOrder)
  }
}
