#if canImport(Glibc)
  import Glibc
#endif

/// Rows in descending score, ties in row order, sorted in place.
///
/// The standard library's sort is a merge sort that borrows half the array again as scratch;
/// for a scored file of millions of rows that scratch was the run's peak memory. Scores and
/// row numbers together are a strict total order, so an in-place introsort (quicksort with a
/// median-of-three pivot, insertion sort for short runs, heapsort past a depth limit) gives
/// exactly the stable sort's result with no scratch at all.
enum DescendingOrder {
  /// One byte per row in descending score, made by `code` from each row and whether it ends
  /// a group of tied scores (the next row's score differs, or it is the last).
  ///
  /// The sort runs on pages mapped from the kernel; the bytes are then written over the
  /// order they replace (byte `t` lands in a slot already read) and the rest of the pages is
  /// returned before the bytes are copied out, so the peak is the order's four bytes a row,
  /// not four plus one.
  static func codes(_ scores: [Double], _ code: (_ row: Int, _ endsTie: Bool) -> UInt8) -> [UInt8] {
    let n = scores.count
    guard n > 0 else { return [] }
    let bytes = n * MemoryLayout<Int32>.stride
    guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
      mapped != MAP_FAILED
    else {
      fatalError("out of memory: mapping \(bytes) bytes for the score order failed")
    }
    let order = UnsafeMutableBufferPointer(
      start: mapped.bindMemory(to: Int32.self, capacity: n), count: n)
    for row in 0..<n { order[row] = Int32(row) }
    scores.withUnsafeBufferPointer { scores in
      var depth = 2 * (Int.bitWidth - n.leadingZeroBitCount)
      Sorter(scores: scores, order: order).sort(0, n, depth: &depth)
      let out = UnsafeMutableRawBufferPointer(start: mapped, count: bytes)
      for t in 0..<n {
        let row = Int(order[t])
        let endsTie = t == n - 1 || scores[row] != scores[Int(order[t + 1])]
        out[t] = code(row, endsTie)
      }
    }
    // Return the pages past the bytes, then copy the bytes out and return the rest.
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let kept = (n + page - 1) / page * page
    if kept < bytes { munmap(mapped + kept, bytes - kept) }
    let result = [UInt8](UnsafeRawBufferPointer(start: mapped, count: n))
    munmap(mapped, min(kept, bytes))
    return result
  }

  /// The rows of `scores` in descending score, ties (and equal zeros) in row order; NaNs last.
  static func of(_ scores: [Double]) -> [Int32] {
    var order = [Int32](unsafeUninitializedCapacity: scores.count) { buffer, initialized in
      for row in 0..<scores.count { buffer[row] = Int32(row) }
      initialized = scores.count
    }
    scores.withUnsafeBufferPointer { scores in
      order.withUnsafeMutableBufferPointer { order in
        var depth = 2 * (Int.bitWidth - order.count.leadingZeroBitCount)
        Sorter(scores: scores, order: order).sort(0, order.count, depth: &depth)
      }
    }
    return order
  }

  /// A score as an unsigned key in ascending order: the sign bit flipped for positive
  /// numbers, every bit for negative ones; zeros of both signs are one key, NaNs the lowest.
  @inline(__always)
  static func key(_ score: Double) -> UInt64 {
    if score.isNaN { return 0 }
    if score == 0 { return 1 << 63 }
    let bits = score.bitPattern
    return bits >> 63 == 0 ? bits | 1 << 63 : ~bits
  }

  private struct Sorter {
    let scores: UnsafeBufferPointer<Double>
    let order: UnsafeMutableBufferPointer<Int32>

    /// Whether row `a` comes before row `b`.
    @inline(__always)
    func precedes(_ a: Int32, _ b: Int32) -> Bool {
      let x = DescendingOrder.key(scores[Int(a)])
      let y = DescendingOrder.key(scores[Int(b)])
      return x > y || (x == y && a < b)
    }

    func sort(_ start: Int, _ end: Int, depth: inout Int) {
      var start = start
      var end = end
      while end - start > 16 {
        if depth == 0 {
          heapSort(start, end)
          return
        }
        depth -= 1
        let split = partition(start, end)
        // Recurse into the shorter side, loop on the longer: the stack stays logarithmic.
        if split - start < end - split {
          var inner = depth
          sort(start, split, depth: &inner)
          start = split
        } else {
          var inner = depth
          sort(split, end, depth: &inner)
          end = split
        }
      }
      insertionSort(start, end)
    }

    /// Hoare's partition around the median of the first, middle and last rows: returns `split`
    /// with every row before it not after every row from it, both sides non-empty.
    func partition(_ start: Int, _ end: Int) -> Int {
      let middle = start + (end - start) / 2
      if precedes(order[middle], order[start]) { order.swapAt(middle, start) }
      if precedes(order[end - 1], order[start]) { order.swapAt(end - 1, start) }
      if precedes(order[end - 1], order[middle]) { order.swapAt(end - 1, middle) }
      let pivot = order[middle]
      var i = start - 1
      var j = end
      while true {
        repeat { i += 1 } while precedes(order[i], pivot)
        repeat { j -= 1 } while precedes(pivot, order[j])
        if i >= j { return j + 1 }
        order.swapAt(i, j)
      }
    }

    func insertionSort(_ start: Int, _ end: Int) {
      guard end - start > 1 else { return }
      for i in (start + 1)..<end {
        let row = order[i]
        var j = i
        while j > start, precedes(row, order[j - 1]) {
          order[j] = order[j - 1]
          j -= 1
        }
        order[j] = row
      }
    }

    func heapSort(_ start: Int, _ end: Int) {
      let n = end - start
      func siftDown(_ root: Int, _ size: Int) {
        var parent = root
        while true {
          var child = 2 * parent + 1
          guard child < size else { return }
          if child + 1 < size, precedes(order[start + child], order[start + child + 1]) {
            child += 1
          }
          guard precedes(order[start + parent], order[start + child]) else { return }
          order.swapAt(start + parent, start + child)
          parent = child
        }
      }
      for root in stride(from: n / 2 - 1, through: 0, by: -1) { siftDown(root, n) }
      for last in stride(from: n - 1, to: 0, by: -1) {
        order.swapAt(start, start + last)
        siftDown(0, last)
      }
    }
  }
}
