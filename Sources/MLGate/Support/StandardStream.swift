#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process's standard output or error, written with `write(2)`.
///
/// Never traps and never blocks the run on a reader that went away: a closed pipe (`mlgate run
/// … | head -1`), a full disk or a closed descriptor drops the text, and the run and its report
/// go on. (Foundation's `FileHandle.write` traps on `EPIPE`.) `SIGPIPE` must be ignored, as
/// ``Runner`` does.
package enum StandardStream: Sendable {
  /// Standard output.
  case output
  /// Standard error.
  case error

  private var descriptor: Int32 {
    switch self {
    case .output: return STDOUT_FILENO
    case .error: return STDERR_FILENO
    }
  }

  /// Writes `text`; returns false if it could not be written whole.
  @discardableResult
  package func write(_ text: String) -> Bool {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { buffer in
      FileDescriptorWriter.writeAll(descriptor, buffer) == nil
    }
  }
}

/// Writes whole buffers to a descriptor, retrying short writes and `EINTR`.
package enum FileDescriptorWriter {
  /// Writes all of `buffer` to `descriptor`; returns the `errno` that stopped it, or nil.
  package static func writeAll(_ descriptor: Int32, _ buffer: UnsafeMutableRawBufferPointer)
    -> Int32?
  {
    guard let base = buffer.baseAddress else { return nil }
    var offset = 0
    while offset < buffer.count {
      let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if written == 0 { return EIO }
      offset += written
    }
    return nil
  }
}
