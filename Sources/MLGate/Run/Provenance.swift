import Crypto
import Foundation
import Subprocess

/// Facts that say exactly what was tested: digests, commit, versions.
enum Provenance {
  /// `sha256:<hex>` of a regular file, streamed; nil if it cannot be read or is not a regular
  /// file (a device or FIFO could be endless).
  static func digest(ofFile path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      hasher.update(data: chunk)
    }
    return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
  }

  /// The commit being tested: Jenkins' `GIT_COMMIT`, else `git rev-parse HEAD` in `directory`.
  static func gitCommit(in directory: String) async -> String {
    if let commit = ProcessInfo.processInfo.environment["GIT_COMMIT"], !commit.isEmpty {
      return commit
    }
    let result = try? await Subprocess.run(
      .name("git"), arguments: ["-C", directory, "rev-parse", "HEAD"], output: .string(limit: 200),
      error: .discarded)
    guard let result, result.terminationStatus.isSuccess else { return "unknown" }
    let text = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? "unknown" : text
  }

  /// This machine's host name.
  static var hostname: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }
}
