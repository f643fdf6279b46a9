#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file in fixed-size chunks, so memory stays bounded whatever the file's size.
final class FileBytes {
  private let descriptor: Int32
  private var buffer: [UInt8]
  private var count = 0
  private var position = 0
  private(set) var atEnd = false
  let displayName: String

  init(path: String, displayName: String, chunk: Int = 1 << 16) throws(DataError) {
    self.displayName = displayName
    descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let reason = String(cString: strerror(errno))
      throw DataError(file: displayName, message: "cannot open: \(reason.lowercased())")
    }
    buffer = [UInt8](repeating: 0, count: chunk)
  }

  deinit { close(descriptor) }

  /// The next byte, or nil at the end of the file.
  @inline(__always)
  func next() throws(DataError) -> UInt8? {
    if position == count {
      try refill()
      if atEnd { return nil }
    }
    let byte = buffer[position]
    position += 1
    return byte
  }

  /// The next byte without consuming it.
  func peek() throws(DataError) -> UInt8? {
    if position == count {
      try refill()
      if atEnd { return nil }
    }
    return buffer[position]
  }

  private func refill() throws(DataError) {
    guard !atEnd else { return }
    var got = 0
    repeat {
      got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    } while got < 0 && errno == EINTR
    if got < 0 {
      let reason = String(cString: strerror(errno))
      throw DataError(file: displayName, message: "read failed: \(reason.lowercased())")
    }
    if got == 0 { atEnd = true }
    count = max(got, 0)
    position = 0
  }
}
