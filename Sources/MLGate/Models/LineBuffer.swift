#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits a byte stream into lines, holding at most `limit` bytes of an unfinished line.
///
/// Lines end with LF (a CR before it is dropped); empty lines are skipped. Scanning uses
/// `memchr` and whole-run copies: a model's answers arrive at memory speed.
struct LineBuffer {
  /// The longest line kept.
  let limit: Int
  private var line: [UInt8] = []

  init(limit: Int) { self.limit = limit }

  /// Feeds `bytes`, handing each complete line to `deliver`; false once a line passes `limit`
  /// (nothing more is kept).
  mutating func feed(_ bytes: UnsafeRawBufferPointer, deliver: ([UInt8]) -> Void) -> Bool {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
    var offset = 0
    while offset < bytes.count {
      let start = base + offset
      let remaining = bytes.count - offset
      let found: UnsafeMutableRawPointer? = memchr(start, 0x0A, remaining)
      let length =
        found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - start } ?? remaining
      guard line.count + length <= limit else {
        line = []
        return false
      }
      line.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
      guard found != nil else { return true }
      finishLine(deliver)
      offset += length + 1
    }
    return true
  }

  /// Hands over what is left at the end of the stream, if anything.
  mutating func finish(deliver: ([UInt8]) -> Void) { finishLine(deliver) }

  private mutating func finishLine(_ deliver: ([UInt8]) -> Void) {
    if line.last == 0x0D { line.removeLast() }
    if !line.isEmpty { deliver(line) }
    line.removeAll(keepingCapacity: true)
  }
}
