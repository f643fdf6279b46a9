internal import CLibXML2
package import MLGateXML

/// Parses a whole document with xmlTextReader (NONET, no entity expansion, errors captured with
/// line:column).
///
/// Parsing uses `XML_PARSE_NONET` and never `XML_PARSE_NOENT`: external entities are never
/// loaded, and a document that references any entity other than the predefined ones and
/// character references is rejected with an ``XMLError``. libxml2's messages are captured, never
/// printed. It is safe to parse on several threads at once.
package enum XMLDocumentReader {
  /// Parses a document held in memory.
  ///
  /// - Parameter bytes: The document, UTF-8 unless its XML declaration or a byte order mark says
  ///   otherwise.
  /// - Returns: The root element.
  /// - Throws: An ``XMLError`` with the line and column of the first error if the document is not
  ///   well-formed or uses entity references.
  package static func parse(_ bytes: [UInt8]) throws(XMLError) -> XMLElement {
    try parse(bytes, url: nil)
  }

  /// Parses the document in a file.
  ///
  /// - Parameter path: The file's path.
  /// - Returns: The root element.
  /// - Throws: An ``XMLError`` if the file cannot be read or its document is not well-formed.
  package static func parse(path: String) throws(XMLError) -> XMLElement {
    try parse(BinaryFile.contents(ofPath: path), url: path)
  }

  /// Parses `bytes`, naming the document `url` in libxml2's error records.
  static func parse(_ bytes: [UInt8], url: String?) throws(XMLError) -> XMLElement {
    LibXML2.initialize()
    guard !bytes.isEmpty else { throw XMLError(message: "Document is empty", line: 1) }
    guard bytes.count <= Int(Int32.max) else {
      throw XMLError(message: "the document is larger than 2 GiB")
    }
    let collector = XMLErrorCollector()
    // libxml2 reads the buffer in place, so the whole parse happens inside withUnsafeBytes.
    let result = collector.capturing {
      bytes.withUnsafeBytes { raw in
        Result { () throws(XMLError) -> XMLElement in
          guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self),
            let reader = xmlReaderForMemory(
              base, Int32(raw.count), url, nil, LibXML2.parseOptions)
          else { throw collector.firstError(or: "xmlReaderForMemory failed") }
          defer { xmlFreeTextReader(reader) }
          xmlTextReaderSetStructuredErrorHandler(
            reader, XMLErrorCollector.handler, collector.context)
          return try readTree(reader, collector)
        }
      }
    }
    return try result.get()
  }

  /// Reads every node and builds the element tree.
  private static func readTree(
    _ reader: xmlTextReaderPtr, _ collector: XMLErrorCollector
  ) throws(XMLError) -> XMLElement {
    var open: [XMLElement] = []
    var root: XMLElement?

    func close() {
      var element = open.removeLast()
      element.dropIgnorableWhitespace()
      if open.isEmpty {
        root = element
      } else {
        open[open.count - 1].children.append(element)
      }
    }

    while true {
      let status = xmlTextReaderRead(reader)
      if let error = collector.errors.first { throw error }
      if status == 0 { break }
      guard status == 1 else { throw XMLError(message: "xmlTextReaderRead failed") }
      switch xmlTextReaderNodeType(reader) {
      case Int32(XML_READER_TYPE_ELEMENT.rawValue):
        var element = XMLElement(name: constString(xmlTextReaderConstName(reader)))
        try readAttributes(reader, into: &element)
        open.append(element)
        if xmlTextReaderIsEmptyElement(reader) == 1 { close() }
      case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
        if !open.isEmpty { close() }
      case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
        Int32(XML_READER_TYPE_WHITESPACE.rawValue),
        Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
        if !open.isEmpty {
          open[open.count - 1].text += constString(xmlTextReaderConstValue(reader))
        }
      case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
        throw XMLError(
          message: "Entity reference '&\(constString(xmlTextReaderConstName(reader)));' is not "
            + "supported: entities are never expanded",
          line: position(xmlTextReaderGetParserLineNumber(reader)),
          column: position(xmlTextReaderGetParserColumnNumber(reader)))
      default:
        break
      }
    }
    guard let root else { throw XMLError(message: "the document has no root element") }
    return root
  }

  /// Copies the current element's attributes, then moves the reader back to the element.
  private static func readAttributes(
    _ reader: xmlTextReaderPtr, into element: inout XMLElement
  ) throws(XMLError) {
    guard xmlTextReaderHasAttributes(reader) == 1 else { return }
    var status = xmlTextReaderMoveToFirstAttribute(reader)
    while status == 1 {
      element.setAttribute(
        constString(xmlTextReaderConstName(reader)), constString(xmlTextReaderConstValue(reader)))
      status = xmlTextReaderMoveToNextAttribute(reader)
    }
    guard status == 0, xmlTextReaderMoveToElement(reader) >= 0 else {
      throw XMLError(message: "cannot read the attributes of '\(element.name)'")
    }
  }

  /// Copies a string that libxml2 owns (and frees at the next read) into a Swift string.
  private static func constString(_ pointer: UnsafePointer<xmlChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }

  /// A 1-based position from libxml2, or `nil` when it is unknown.
  private static func position(_ value: Int32) -> Int? {
    value > 0 ? Int(value) : nil
  }
}
