import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why a report could not be written: the path and the operating system's reason.
package struct ReportWriteError: Error, Sendable, CustomStringConvertible {
  /// The path the report was to be written to.
  package var path: String
  /// What went wrong, in the system's words.
  package var reason: String

  package var description: String { "cannot write the report to '\(path)': \(reason)" }
}

/// Writes a report where the user asked, whatever is there.
///
/// - A missing path or a regular file is replaced atomically (a temporary file in the same
///   folder, then a rename), so a reader sees the old report or the whole new one. A symbolic
///   link is followed: the file it points to is replaced, not the link.
/// - A character device (`/dev/null`, `/dev/stdout`) or a FIFO with a reader is written in
///   place: renaming over a device node would replace it for every process on the machine.
/// - A directory, a block device, a socket or a FIFO nobody reads is refused.
///
/// Every error, a full disk included, is a ``ReportWriteError``: never a silent success.
package enum ReportFile {
  /// Writes `bytes` to `path`.
  ///
  /// - Throws: ``ReportWriteError`` naming the path and the system's reason.
  package static func write(_ bytes: [UInt8], to path: String) throws(ReportWriteError) {
    func failure(_ code: Int32, _ what: String = "") -> ReportWriteError {
      ReportWriteError(path: path, reason: what + String(cString: strerror(code)))
    }
    var target = path
    var info = stat()
    if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
      guard let resolved = realpath(path, nil) else {
        // A dangling link: write the file it names.
        throw failure(errno, "it is a symbolic link that cannot be followed: ")
      }
      target = String(cString: resolved)
      free(resolved)
    }
    guard stat(target, &info) == 0 else {
      guard errno == ENOENT else { throw failure(errno) }
      try replace(target, with: bytes, reportedAs: path)
      return
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      try replace(target, with: bytes, reportedAs: path)
    case S_IFCHR, S_IFIFO:
      try writeInPlace(target, bytes, reportedAs: path)
    case S_IFDIR:
      throw ReportWriteError(
        path: path, reason: "it is a directory (name a file, e.g. \(path)/mlgate.xml)")
    default:
      throw ReportWriteError(
        path: path, reason: "it is a block device or a socket, not a file; refusing to write there")
    }
  }

  /// Writes `bytes` through a temporary file in the same folder and a rename.
  private static func replace(_ target: String, with bytes: [UInt8], reportedAs path: String)
    throws(ReportWriteError)
  {
    func failure(_ code: Int32, _ what: String = "") -> ReportWriteError {
      ReportWriteError(path: path, reason: what + String(cString: strerror(code)))
    }
    let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw ReportWriteError(path: path, reason: "cannot create the folder '\(folder)'")
    }
    let name = URL(fileURLWithPath: target).lastPathComponent
    let temporary = folder + "/.\(name).\(getpid()).tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw failure(errno) }
    var bytes = bytes
    let writeError = bytes.withUnsafeMutableBytes {
      FileDescriptorWriter.writeAll(descriptor, $0)
    }
    let syncError = writeError == nil && fsync(descriptor) != 0 ? errno : nil
    let closeError = close(descriptor) != 0 ? errno : nil
    if let code = writeError ?? syncError ?? closeError {
      unlink(temporary)
      throw failure(code)
    }
    guard rename(temporary, target) == 0 else {
      let code = errno
      unlink(temporary)
      throw failure(code)
    }
  }

  /// Writes `bytes` to a device or FIFO as it is; a FIFO nobody reads is refused, not waited on.
  private static func writeInPlace(_ target: String, _ bytes: [UInt8], reportedAs path: String)
    throws(ReportWriteError)
  {
    func failure(_ code: Int32) -> ReportWriteError {
      ReportWriteError(path: path, reason: String(cString: strerror(code)))
    }
    let descriptor = open(target, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    guard descriptor >= 0 else {
      if errno == ENXIO {
        throw ReportWriteError(path: path, reason: "it is a FIFO that nobody reads")
      }
      throw failure(errno)
    }
    defer { close(descriptor) }
    let flags = fcntl(descriptor, F_GETFL)
    if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
    var bytes = bytes
    if let code = bytes.withUnsafeMutableBytes({ FileDescriptorWriter.writeAll(descriptor, $0) }) {
      throw failure(code)
    }
  }
}
