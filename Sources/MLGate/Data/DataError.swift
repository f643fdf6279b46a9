/// A problem in a data file, with the place it was found.
package struct DataError: Error, Sendable, CustomStringConvertible {
  /// The file as the suite named it.
  package var file: String
  /// The one-based line (CSV: the physical line where the record starts).
  package var line: Int?
  /// The column (field) involved, if any.
  package var field: String?
  /// What is wrong, in lower case.
  package var message: String
  /// Whether the file holds nothing at all (no header, no record).
  package var isEmptyFile = false

  /// Creates a data error.
  package init(file: String, line: Int? = nil, field: String? = nil, message: String) {
    self.file = file
    self.line = line
    self.field = field
    self.message = message
  }

  /// The message for a line longer than `limit` bytes.
  static func lineTooLong(limit: Int) -> String {
    "a line is longer than \(TextFormat.bytes(limit)) (a file with no line ends?); raise 'data.max_line_mb' if the data really has such lines"
  }

  package var description: String {
    var place = file
    if let line { place += ":\(line)" }
    if let field { return "\(place): field '\(field)': \(message)" }
    return "\(place): \(message)"
  }
}
