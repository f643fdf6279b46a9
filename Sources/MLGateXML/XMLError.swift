/// A failure reported by libxml2, with position where known.
///
/// Messages are libxml2's own text without the trailing newline, for example
/// `Element 'testcase': The attribute 'name' is required but missing.`
package struct XMLError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  package var message: String

  /// The 1-based line of the offending input, if known.
  package var line: Int?

  /// The 1-based column of the offending input, if known.
  package var column: Int?

  /// Creates an error.
  ///
  /// - Parameters:
  ///   - message: What went wrong.
  ///   - line: The 1-based line of the offending input, if known.
  ///   - column: The 1-based column of the offending input, if known.
  package init(message: String, line: Int? = nil, column: Int? = nil) {
    self.message = message
    self.line = line
    self.column = column
  }

  /// The message prefixed with its position, such as `line 3, column 7: Opening and ending tag
  /// mismatch: a line 2 and b`.
  package var description: String {
    switch (line, column) {
    case (let line?, let column?): "line \(line), column \(column): \(message)"
    case (let line?, nil): "line \(line): \(message)"
    default: message
    }
  }
}
