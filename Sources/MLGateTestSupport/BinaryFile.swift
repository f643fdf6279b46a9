import MLGateXML

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads whole files with the C library, so that libxml2 never opens a path itself.
enum BinaryFile {
  /// Returns the bytes of the file at `path`.
  ///
  /// - Parameter path: A file system path.
  /// - Returns: The file's contents.
  /// - Throws: An ``XMLError`` naming the path and the system error.
  static func contents(ofPath path: String) throws(XMLError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw failure("cannot open", path) }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count == 0 { return bytes }
      if count < 0 {
        if errno == EINTR { continue }
        throw failure("cannot read", path)
      }
      bytes.append(contentsOf: chunk[..<count])
    }
  }

  /// An error for `path` that carries `strerror(errno)`.
  private static func failure(_ what: String, _ path: String) -> XMLError {
    XMLError(message: "\(what) '\(path)': \(String(cString: strerror(errno)))")
  }
}
