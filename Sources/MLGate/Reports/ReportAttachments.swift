import Foundation

/// Files written beside the JUnit report (plots) and named in a test case's `<system-out>` as
/// `[[ATTACHMENT|/absolute/path]]`, which Jenkins' junit-attachments plugin shows with the
/// test.
///
/// Everything written passes the run's ``SecretStore`` first: a plot's title or labels cannot
/// leak a secret any more than the report can.
package struct ReportAttachments: Sendable {
  /// The report's path without its extension: attachments are `PREFIX.NAME`.
  package let prefix: String
  private let secrets: SecretStore

  /// Attachments for the report at `reportPath`; nil when the report goes to a device or a
  /// FIFO (`--junit /dev/null`), where nothing can sit beside it.
  package init?(reportPath: String, secrets: SecretStore) {
    var info = stat()
    if stat(reportPath, &info) == 0, info.st_mode & S_IFMT != S_IFREG { return nil }
    let url = URL(fileURLWithPath: reportPath)
    prefix = url.deletingPathExtension().path
    self.secrets = secrets
  }

  /// Writes `text` as `PREFIX.NAME` (NAME made safe for a file name); returns the absolute path.
  package func write(_ text: String, name: String) throws(ReportWriteError) -> String {
    let path = "\(prefix).\(ReportAttachments.fileName(name))"
    try ReportFile.write(Array(secrets.redact(text).utf8), to: path)
    return path
  }

  /// The line that attaches `path` to a test case.
  package static func marker(_ path: String) -> String { "[[ATTACHMENT|\(path)]]" }

  /// `name` with anything but letters, digits, `.`, `-` and `_` replaced by `-`, at most 100
  /// characters.
  static func fileName(_ name: String) -> String {
    var out = ""
    for scalar in name.unicodeScalars {
      let safe =
        scalar.isASCII
        && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
          || "._-".unicodeScalars.contains(scalar))
      if safe {
        out.unicodeScalars.append(scalar)
      } else if !out.hasSuffix("-") {
        out += "-"
      }
    }
    return String(out.prefix(100))
  }
}
