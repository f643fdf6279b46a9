/// One HTTP header field: a name and its value.
///
/// Names compare case-insensitively on the wire; this type keeps them as written. Use
/// ``HTTPResponse/header(_:)`` for case-insensitive lookups.
package struct HTTPHeader: Sendable, Hashable {
  /// The field name, for example `Content-Type`.
  package var name: String

  /// The field value, without surrounding whitespace.
  package var value: String

  /// Creates a header field.
  ///
  /// - Parameters:
  ///   - name: The field name, for example `Content-Type`.
  ///   - value: The field value.
  package init(name: String, value: String) {
    self.name = name
    self.value = value
  }

  /// Creates a header field from a name and a value.
  ///
  /// - Parameters:
  ///   - name: The field name, for example `Content-Type`.
  ///   - value: The field value.
  package init(_ name: String, _ value: String) {
    self.init(name: name, value: value)
  }

  /// Whether this field has the given name, ignoring ASCII case.
  ///
  /// - Parameter other: The name to compare with.
  /// - Returns: `true` when the names match case-insensitively.
  package func hasName(_ other: String) -> Bool {
    name.utf8.count == other.utf8.count
      && zip(name.utf8, other.utf8).allSatisfy { asciiLowercase($0) == asciiLowercase($1) }
  }
}

private func asciiLowercase(_ byte: UInt8) -> UInt8 {
  (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte
}
