import MLGateXML

/// An XML writer through which every attribute value and text passes redacted: what a report
/// writes cannot hold a secret, whichever field it comes from.
///
/// Text that is trimmed to a length must be redacted before it is cut (a cut secret would no
/// longer match): ``redact(_:)`` does that for callers.
struct RedactedXMLWriter {
  private let writer: XMLStreamWriter
  private let secrets: SecretStore

  init(indent: Bool, secrets: SecretStore) throws(XMLError) {
    writer = try XMLStreamWriter(indent: indent)
    self.secrets = secrets
  }

  /// The text with every secret replaced by `***`.
  func redact(_ text: String) -> String { secrets.redact(text) }

  func startDocument() throws(XMLError) { try writer.startDocument() }
  func startElement(_ name: String) throws(XMLError) { try writer.startElement(name) }
  func endElement() throws(XMLError) { try writer.endElement() }
  func endDocument() throws(XMLError) { try writer.endDocument() }
  func finish() throws(XMLError) -> [UInt8] { try writer.finish() }

  func attribute(_ name: String, _ value: String) throws(XMLError) {
    try writer.attribute(name, secrets.redact(value))
  }

  func text(_ text: String) throws(XMLError) { try writer.text(secrets.redact(text)) }
}
