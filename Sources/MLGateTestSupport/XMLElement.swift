/// A parsed XML element: a small immutable tree (enough to read JUnit files back).
///
/// Names are qualified names as written (`xsi:type`); namespace declarations appear as ordinary
/// attributes (`xmlns:xsi`). Comments and processing instructions are dropped.
package struct XMLElement: Sendable, Equatable {
  /// The element's qualified name, such as `testcase`.
  package var name: String

  /// The attribute values by qualified name, after XML unescaping.
  package var attributes: [String: String]

  /// The attribute names in document order, namespace declarations (`xmlns`, `xmlns:p`) first.
  package var attributeOrder: [String]

  /// The child elements in document order.
  package var children: [XMLElement]

  /// The concatenated direct text and CDATA content, after XML unescaping.
  ///
  /// Whitespace-only text of an element that has child elements (indentation) is dropped, so
  /// `<testsuite>` reads as `""`; any other text is kept exactly.
  package var text: String

  /// Creates an element.
  ///
  /// - Parameters:
  ///   - name: The element's qualified name.
  ///   - attributes: The attributes in document order; for a repeated name the last value wins
  ///     and the first position is kept.
  ///   - children: The child elements in document order.
  ///   - text: The direct text content.
  package init(
    name: String,
    attributes: KeyValuePairs<String, String> = [:],
    children: [XMLElement] = [],
    text: String = ""
  ) {
    self.name = name
    self.attributes = [:]
    self.attributeOrder = []
    self.children = children
    self.text = text
    for (key, value) in attributes { setAttribute(key, value) }
  }

  /// Returns the value of the attribute called `name`, or `nil` if there is none.
  ///
  /// - Parameter name: A qualified attribute name.
  /// - Returns: The attribute's value.
  package func attribute(_ name: String) -> String? {
    attributes[name]
  }

  /// Returns the child elements called `name`, in document order.
  ///
  /// - Parameter name: A qualified element name, such as `testcase`.
  /// - Returns: The matching direct children; empty if there are none.
  package func children(named name: String) -> [XMLElement] {
    children.filter { $0.name == name }
  }

  /// Returns the first child element called `name`, or `nil` if there is none.
  ///
  /// - Parameter name: A qualified element name, such as `failure`.
  /// - Returns: The first matching direct child.
  package func firstChild(named name: String) -> XMLElement? {
    children.first { $0.name == name }
  }

  /// Sets an attribute, appending its name to ``attributeOrder`` when it is new.
  mutating func setAttribute(_ name: String, _ value: String) {
    if attributes.updateValue(value, forKey: name) == nil { attributeOrder.append(name) }
  }

  /// Drops ``text`` when it is only indentation between child elements.
  mutating func dropIgnorableWhitespace() {
    guard !children.isEmpty,
      text.unicodeScalars.allSatisfy({ [" ", "\t", "\n", "\r"].contains($0) })
    else { return }
    text = ""
  }
}
