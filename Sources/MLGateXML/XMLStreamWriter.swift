internal import CLibXML2

/// Streams an XML document into memory through xmlTextWriter (xmlNewTextWriterMemory on an
/// xmlBuffer).
///
/// Attribute values and text are passed through ``xmlSanitized(_:)`` and then escaped by libxml2:
/// text escapes `&`, `<`, `>` and CR (so `]]>` cannot end a section); attribute values also `"`,
/// TAB and LF, and non-ASCII characters become character references. Text is never written as
/// CDATA. Element and attribute names must be XML names; anything else throws instead of
/// producing an ill-formed document, and so does anything libxml2 would accept but that would
/// make the document ill-formed: a second XML declaration, a second root element, text outside
/// the root element, or ending a document that has no root element.
///
/// ```swift
/// let writer = try XMLStreamWriter()
/// try writer.startDocument()
/// try writer.startElement("testsuites")
/// try writer.attribute("name", "mlgate")
/// try writer.endElement()
/// try writer.endDocument()
/// let bytes = try writer.finish()
/// ```
///
/// A writer is not thread-safe: use it from one task or thread at a time.
package final class XMLStreamWriter {
  /// The memory buffer the writer appends to; freed after the writer.
  private let buffer: xmlBufferPtr

  /// The libxml2 writer; freed in `deinit`.
  private let writer: xmlTextWriterPtr

  /// The number of elements open.
  private var depth = 0

  /// Whether the root element has been started.
  private var hasRoot = false

  /// Whether anything has been written.
  private var hasOutput = false

  /// Creates a writer that appends to an empty in-memory buffer.
  ///
  /// - Parameter indent: Whether to put each element on its own line, indented by two spaces per
  ///   level. Elements that contain text are not re-indented, so text is kept exactly.
  /// - Throws: An ``XMLError`` if libxml2 cannot allocate the writer.
  package init(indent: Bool = true) throws(XMLError) {
    LibXML2.initialize()
    let collector = XMLErrorCollector()
    guard let buffer = collector.capturing({ xmlBufferCreate() }) else {
      throw collector.firstError(or: "xmlBufferCreate failed")
    }
    guard let writer = collector.capturing({ xmlNewTextWriterMemory(buffer, 0) }) else {
      xmlBufferFree(buffer)
      throw collector.firstError(or: "xmlNewTextWriterMemory failed")
    }
    self.buffer = buffer
    self.writer = writer
    if indent {
      try perform("xmlTextWriterSetIndent") { xmlTextWriterSetIndent(writer, 1) }
      try perform("xmlTextWriterSetIndentString") { xmlTextWriterSetIndentString(writer, "  ") }
    }
  }

  deinit {
    xmlFreeTextWriter(writer)
    xmlBufferFree(buffer)
  }

  /// Writes the XML declaration `<?xml version="1.0" encoding="UTF-8"?>`.
  ///
  /// - Throws: An ``XMLError`` if something was written already.
  package func startDocument() throws(XMLError) {
    guard !hasOutput else {
      throw XMLError(message: "cannot start the document: the XML declaration must come first")
    }
    try perform("cannot start the document") {
      xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)
    }
    hasOutput = true
  }

  /// Opens an element; close it with ``endElement()``.
  ///
  /// - Parameter name: The element's name, which must be an XML name such as `testcase`.
  /// - Throws: An ``XMLError`` if `name` is not an XML name or the root element is already closed.
  package func startElement(_ name: String) throws(XMLError) {
    try requireName(name, "element")
    guard depth > 0 || !hasRoot else {
      throw XMLError(message: "cannot start element '\(name)': the root element is closed")
    }
    try perform("cannot start element '\(name)'") { xmlTextWriterStartElement(writer, name) }
    depth += 1
    hasRoot = true
    hasOutput = true
  }

  /// Adds an attribute to the element just opened.
  ///
  /// - Parameters:
  ///   - name: The attribute's name, which must be an XML name.
  ///   - value: Any string; it is sanitised with ``xmlSanitized(_:)`` and escaped.
  /// - Throws: An ``XMLError`` if `name` is not an XML name, or if the current element already
  ///   has content.
  package func attribute(_ name: String, _ value: String) throws(XMLError) {
    try requireName(name, "attribute")
    let value = xmlSanitized(value)
    try perform("cannot write attribute '\(name)'") {
      xmlTextWriterWriteAttribute(writer, name, value)
    }
  }

  /// Writes text inside the current element.
  ///
  /// - Parameter text: Any string; it is sanitised with ``xmlSanitized(_:)`` and escaped.
  /// - Throws: An ``XMLError`` if no element is open.
  package func text(_ text: String) throws(XMLError) {
    guard depth > 0 else { throw XMLError(message: "cannot write text outside an element") }
    let text = xmlSanitized(text)
    try perform("cannot write text") { xmlTextWriterWriteString(writer, text) }
  }

  /// Closes the innermost open element, as `<name/>` if it has no content.
  ///
  /// - Throws: An ``XMLError`` if no element is open.
  package func endElement() throws(XMLError) {
    guard depth > 0 else { throw XMLError(message: "cannot end an element: none is open") }
    try perform("cannot end an element") { xmlTextWriterEndElement(writer) }
    depth -= 1
  }

  /// Closes every element still open and ends the document with a newline.
  ///
  /// - Throws: An ``XMLError`` if ``startDocument()`` was not called or no element was written.
  package func endDocument() throws(XMLError) {
    guard hasRoot else {
      throw XMLError(message: "cannot end the document: it has no root element")
    }
    try perform("cannot end the document") { xmlTextWriterEndDocument(writer) }
    depth = 0
  }

  /// Flushes pending output and returns the UTF-8 bytes written so far.
  ///
  /// Call it after ``endDocument()`` to get the complete document. The writer stays usable.
  ///
  /// - Returns: The document's bytes, without a byte order mark.
  /// - Throws: An ``XMLError`` if libxml2 cannot flush its output.
  package func finish() throws(XMLError) -> [UInt8] {
    try perform("cannot flush the writer") { xmlTextWriterFlush(writer) }
    let length = Int(xmlBufferLength(buffer))
    guard length > 0, let content = xmlBufferContent(buffer) else { return [] }
    return Array(UnsafeBufferPointer(start: content, count: length))
  }

  /// Throws unless `name` is an XML `Name` (which also rules out an empty name and NUL).
  private func requireName(_ name: String, _ kind: String) throws(XMLError) {
    guard !name.utf8.contains(0), xmlValidateName(name, 0) == 0 else {
      throw XMLError(message: "'\(xmlSanitized(name))' is not a valid XML \(kind) name")
    }
  }

  /// Calls a libxml2 writer function and throws if it returns a negative value.
  ///
  /// - Parameters:
  ///   - failure: The message used when libxml2 reports no error of its own.
  ///   - call: The libxml2 call; its result is libxml2's byte count or `-1`.
  /// - Throws: libxml2's first error, or an ``XMLError`` with `failure` as its message.
  private func perform(_ failure: String, _ call: () -> Int32) throws(XMLError) {
    let collector = XMLErrorCollector()
    guard collector.capturing(call) >= 0 else { throw collector.firstError(or: failure) }
  }
}

@available(*, unavailable)
extension XMLStreamWriter: Sendable {}
