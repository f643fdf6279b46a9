#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a small file whole, refusing what is not a regular file or is larger than a limit.
///
/// A suite or a secret file named `/dev/zero`, a FIFO or a folder must end in a clear error,
/// never an endless read.
package enum BoundedFile {
  /// Why a file could not be read.
  package struct Failure: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in lower case.
    package var reason: String
    package var description: String { reason }
  }

  /// The bytes of the regular file at `path`, at most `limit` of them.
  ///
  /// - Throws: ``Failure`` when the file cannot be opened, is not a regular file, or is larger
  ///   than `limit`.
  package static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else {
      throw Failure(reason: String(cString: strerror(errno)))
    }
    guard info.st_mode & S_IFMT == S_IFREG else {
      let kind = info.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file"
      throw Failure(reason: "it is \(kind)")
    }
    guard Int(info.st_size) <= limit else {
      throw Failure(reason: "it is larger than \(TextFormat.bytes(limit))")
    }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
    var count = 0
    while count < bytes.count {
      let got = bytes.withUnsafeMutableBytes {
        Glibc.read(descriptor, $0.baseAddress.map { $0 + count }, $0.count - count)
      }
      if got < 0 {
        if errno == EINTR { continue }
        throw Failure(reason: String(cString: strerror(errno)))
      }
      if got == 0 { break }
      count += got
      if count > limit { throw Failure(reason: "it is larger than \(TextFormat.bytes(limit))") }
      if count == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: 4096)) }
    }
    return Array(bytes.prefix(count))
  }
}
