/// Class indices by row, one byte per row while every index is below 256 (two beyond).
///
/// A scored dataset keeps two of these (truth and prediction) for every row, so their width is
/// most of what a run holds per row: an `[Int]` would cost eight bytes a row each.
package struct ClassColumn: RandomAccessCollection, Sendable, Equatable {
  /// The low byte of each index.
  private(set) var low: [UInt8] = []
  /// The high byte of each index; empty while every index is below 256.
  private(set) var high: [UInt8] = []

  /// An empty column.
  package init() {}

  /// A column of `indices` (each from 0 to 65,535).
  package init(_ indices: some Sequence<Int>) {
    for index in indices { append(index) }
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { low.count }

  package subscript(position: Int) -> Int {
    high.isEmpty ? Int(low[position]) : Int(low[position]) | Int(high[position]) << 8
  }

  /// Whether every index fits in one byte (``low`` then holds them).
  var isNarrow: Bool { high.isEmpty }

  /// Appends `index` (0 to 65,535).
  package mutating func append(_ index: Int) {
    precondition(index >= 0 && index <= Int(UInt16.max), "a class index out of range: \(index)")
    if index > 255, high.isEmpty { high = [UInt8](repeating: 0, count: low.count) }
    low.append(UInt8(truncatingIfNeeded: index))
    if !high.isEmpty { high.append(UInt8(truncatingIfNeeded: index >> 8)) }
  }

  /// Makes room for `capacity` indices in all.
  package mutating func reserveCapacity(_ capacity: Int) {
    low.reserveCapacity(capacity)
    if !high.isEmpty { high.reserveCapacity(capacity) }
  }
}
