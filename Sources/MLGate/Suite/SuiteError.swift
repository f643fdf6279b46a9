/// A place in a suite file.
package struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
  /// The file as given on the command line.
  package var file: String
  /// One-based line, if known.
  package var line: Int?
  /// One-based column, if known.
  package var column: Int?

  package var description: String {
    guard let line else { return file }
    guard let column else { return "\(file):\(line)" }
    return "\(file):\(line):\(column)"
  }
}

/// A mistake in a suite file: what is wrong and exactly where.
package struct SuiteError: Error, Sendable, CustomStringConvertible {
  /// Where the mistake is.
  package var position: SourcePosition
  /// What is wrong, in lower case, with a suggestion where one is likely.
  package var message: String

  /// Creates a suite error.
  package init(_ position: SourcePosition, _ message: String) {
    self.position = position
    self.message = message
  }

  package var description: String { "\(position): \(message)" }
}
