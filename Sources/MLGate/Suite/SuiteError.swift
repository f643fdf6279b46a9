/// A place in a suite file.
public struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
  /// The file as given on the command line.
  public var file: String
  /// One-based line, if known.
  public var line: Int?
  /// One-based column, if known.
  public var column: Int?

  public var description: String {
    guard let line else { return file }
    guard let column else { return "\(file):\(line)" }
    return "\(file):\(line):\(column)"
  }
}

/// A mistake in a suite file: what is wrong and exactly where.
public struct SuiteError: Error, Sendable, CustomStringConvertible {
  /// Where the mistake is.
  public var position: SourcePosition
  /// What is wrong, in lower case, with a suggestion where one is likely.
  public var message: String

  /// Creates a suite error.
  public init(_ position: SourcePosition, _ message: String) {
    self.position = position
    self.message = message
  }

  public var description: String { "\(position): \(message)" }
}
