#if canImport(Glibc)
  import Glibc
#endif

/// A column of numbers appended to row by row that never holds them twice.
///
/// An array grows by copying itself into one twice as large: for a moment it holds its
/// contents twice, and for a scored file of millions of rows that moment was the run's peak
/// memory. This column keeps 1 MiB pages mapped from the kernel instead, so growing copies
/// nothing; ``drain()`` moves it into an array of exactly its size, unmapping each page as it
/// is copied. Owned by one task at a time (the scoring pipeline's sink).
final class PagedColumn<Element: BitwiseCopyable> {
  /// Elements per page.
  private let pageCapacity = max(1, (1 << 20) / MemoryLayout<Element>.stride)
  private var pages: [UnsafeMutablePointer<Element>] = []
  /// Elements in the last page.
  private var filled = 0
  /// Elements in all.
  private(set) var count = 0

  init() {}

  deinit { for page in pages { unmap(page) } }

  /// Appends `value`.
  func append(_ value: Element) {
    if pages.isEmpty || filled == pageCapacity {
      pages.append(PagedColumn.map(pageCapacity))
      filled = 0
    }
    (pages[pages.count - 1] + filled).initialize(to: value)
    filled += 1
    count += 1
  }

  /// Hands each page's elements to `body` in order, unmapping each page after it, and leaves
  /// the column empty.
  func drain(_ body: (UnsafeBufferPointer<Element>) -> Void) {
    var done = 0
    for page in pages {
      let n = min(pageCapacity, count - done)
      body(UnsafeBufferPointer(start: page, count: n))
      done += n
      unmap(page)
    }
    pages = []
    filled = 0
    count = 0
  }

  /// The elements as an array, leaving the column empty.
  func drain() -> [Element] {
    let total = count
    let result = [Element](unsafeUninitializedCapacity: total) { buffer, initialized in
      var done = 0
      drain { page in
        _ = buffer[done..<(done + page.count)].initialize(from: page)
        done += page.count
      }
      initialized = done
    }
    return result
  }

  private static func map(_ capacity: Int) -> UnsafeMutablePointer<Element> {
    let bytes = capacity * MemoryLayout<Element>.stride
    let address = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    guard let address, address != MAP_FAILED else {
      fatalError("out of memory: mapping a page of \(bytes) bytes failed")
    }
    return address.bindMemory(to: Element.self, capacity: capacity)
  }

  private func unmap(_ page: UnsafeMutablePointer<Element>) {
    munmap(UnsafeMutableRawPointer(page), pageCapacity * MemoryLayout<Element>.stride)
  }
}
