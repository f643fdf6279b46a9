internal import CLibXML2
package import MLGateXML

/// An XML Schema (XSD 1.0) compiled once, used to validate documents.
///
/// The schema must be self-contained: `xs:import`, `xs:include` and `xs:redefine` are rejected,
/// because libxml2 would fetch them itself with entity substitution switched on and without
/// `XML_PARSE_NONET`. Documents are parsed with `XML_PARSE_NONET` and without entity
/// substitution; a document's `xsi:schemaLocation` is ignored.
///
/// ## Thread safety
///
/// `@unchecked Sendable` is sound because the instance is immutable after `init`: the compiled
/// `xmlSchema` (and the schema document it was built from) are only read during validation, and
/// every ``validate(_:)`` call parses into its own `xmlDoc`, creates its own
/// `xmlSchemaValidCtxt` (which holds all per-validation state) and captures errors in its own
/// collector through the calling thread's handler. libxml2 is built with thread support and
/// initialised once before first use.
package final class XMLSchemaValidator: @unchecked Sendable {
  /// The parsed schema document, kept alive as long as the compiled schema built from it.
  private let schemaDocument: xmlDocPtr

  /// The compiled schema; read-only after `init`.
  private let schema: xmlSchemaPtr

  /// Parses and compiles a schema.
  ///
  /// - Parameter xsd: The schema document's bytes.
  /// - Throws: An ``XMLError`` for the first problem if the schema is not well-formed, not a valid
  ///   XSD 1.0 schema, or refers to other schema documents.
  package init(xsd: [UInt8]) throws(XMLError) {
    LibXML2.initialize()
    let collector = XMLErrorCollector()
    let compiled = collector.capturing { () -> Result<(xmlDocPtr, xmlSchemaPtr), XMLError> in
      Result { () throws(XMLError) -> (xmlDocPtr, xmlSchemaPtr) in
        guard let document = Self.readDocument(xsd, collector), collector.errors.isEmpty
        else { throw collector.firstError(or: "cannot parse the schema document") }
        do throws(XMLError) {
          try Self.requireSelfContained(document)
          let schema = try Self.compile(document, collector)
          return (document, schema)
        } catch {
          xmlFreeDoc(document)
          throw error
        }
      }
    }
    (schemaDocument, schema) = try compiled.get()
  }

  /// Reads, parses and compiles the schema in a file.
  ///
  /// - Parameter xsdPath: The path of the `.xsd` file.
  /// - Throws: An ``XMLError`` if the file cannot be read or does not hold a usable schema.
  package convenience init(xsdPath: String) throws(XMLError) {
    try self.init(xsd: BinaryFile.contents(ofPath: xsdPath))
  }

  deinit {
    xmlSchemaFree(schema)
    xmlFreeDoc(schemaDocument)
  }

  /// Validates a document against the schema.
  ///
  /// - Parameter document: The document's bytes.
  /// - Returns: Every problem found, in document order, each with its line where known and a
  ///   message such as `Element 'testcase': The attribute 'name' is required but missing.`; empty
  ///   if the document is valid. A document that is not well-formed yields its parse errors.
  package func validate(_ document: [UInt8]) -> [XMLError] {
    let collector = XMLErrorCollector()
    return collector.capturing { () -> [XMLError] in
      guard let parsed = Self.readDocument(document, collector) else {
        return [collector.firstError(or: "cannot parse the document")]
      }
      defer { xmlFreeDoc(parsed) }
      guard collector.errors.isEmpty else { return collector.errors }
      guard let context = xmlSchemaNewValidCtxt(schema) else {
        return [collector.firstError(or: "xmlSchemaNewValidCtxt failed")]
      }
      defer { xmlSchemaFreeValidCtxt(context) }
      xmlSchemaSetValidStructuredErrors(context, XMLErrorCollector.handler, collector.context)
      let status = xmlSchemaValidateDoc(context, parsed)
      if status > 0, collector.errors.isEmpty {
        collector.append(XMLError(message: "the document is not valid"))
      } else if status < 0 {
        collector.append(XMLError(message: "xmlSchemaValidateDoc failed with \(status)"))
      }
      return collector.errors
    }
  }

  /// Parses `bytes` into a tree; errors go to the calling thread's handler, so call it inside
  /// ``XMLErrorCollector/capturing(_:)``.
  private static func readDocument(_ bytes: [UInt8], _ collector: XMLErrorCollector) -> xmlDocPtr? {
    guard !bytes.isEmpty else {
      collector.append(XMLError(message: "Document is empty", line: 1))
      return nil
    }
    guard bytes.count <= Int(Int32.max) else {
      collector.append(XMLError(message: "the document is larger than 2 GiB"))
      return nil
    }
    return bytes.withUnsafeBytes { raw in
      raw.baseAddress.flatMap {
        xmlReadMemory(
          $0.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil, nil,
          LibXML2.parseOptions)
      }
    }
  }

  /// Throws if the schema document refers to other schema documents.
  private static func requireSelfContained(_ document: xmlDocPtr) throws(XMLError) {
    guard let root = xmlDocGetRootElement(document) else {
      throw XMLError(message: "the schema document has no root element")
    }
    var node = root.pointee.children
    while let current = node {
      node = current.pointee.next
      guard current.pointee.type == XML_ELEMENT_NODE,
        let namespace = current.pointee.ns?.pointee.href,
        String(cString: namespace) == "http://www.w3.org/2001/XMLSchema",
        let name = current.pointee.name.map({ String(cString: $0) }),
        ["import", "include", "redefine"].contains(name)
      else { continue }
      throw XMLError(
        message: "xs:\(name) is not supported: the schema must be self-contained",
        line: Int(xmlGetLineNo(current)))
    }
  }

  /// Compiles a parsed schema document.
  private static func compile(
    _ document: xmlDocPtr, _ collector: XMLErrorCollector
  ) throws(XMLError) -> xmlSchemaPtr {
    guard let parser = xmlSchemaNewDocParserCtxt(document) else {
      throw collector.firstError(or: "xmlSchemaNewDocParserCtxt failed")
    }
    defer { xmlSchemaFreeParserCtxt(parser) }
    xmlSchemaSetParserStructuredErrors(parser, XMLErrorCollector.handler, collector.context)
    let schema = xmlSchemaParse(parser)
    guard let schema, collector.errors.isEmpty else {
      if let schema { xmlSchemaFree(schema) }
      throw collector.firstError(or: "cannot compile the schema")
    }
    return schema
  }
}
