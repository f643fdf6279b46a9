import Testing

@testable import MLGateTestSupport
@testable import MLGateXML

@Suite struct XMLStreamWriterTests {
  // MARK: - Round trip

  static let awkwardAttribute = "amp & lt < gt > quot \" apos ' tab\tlf\ncr\rend"
  static let awkwardText = "cdata end ]]> & <tag> \"q\" 'a' \r\n emoji 😀 non-BMP 𝄞 \u{10FFFF}"
  static let controls = "a\u{01}b\u{FFFE}c\u{1B}"
  static let coloured = "\u{1B}[31mred\u{1B}[0m"

  @Test func roundTripKeepsSanitisedAttributesAndTextExactly() throws {
    let writer = try XMLStreamWriter()
    try writer.startDocument()
    try writer.startElement("testsuites")
    try writer.attribute("name", "mlgate")
    try writer.startElement("testsuite")
    try writer.attribute("awkward", Self.awkwardAttribute)
    try writer.attribute("controls", Self.controls)
    try writer.attribute("coloured", Self.coloured)
    try writer.startElement("testcase")
    try writer.attribute("name", "emoji 😀 𝄞")
    try writer.startElement("failure")
    try writer.attribute("message", Self.coloured)
    try writer.text(Self.awkwardText)
    try writer.endElement()
    try writer.startElement("system-out")
    try writer.text(Self.controls)
    try writer.text(" then ")
    try writer.text(Self.coloured)
    try writer.endElement()
    try writer.endElement()
    try writer.startElement("testcase")
    try writer.attribute("name", "empty")
    try writer.endElement()
    try writer.endElement()
    try writer.endElement()
    try writer.endDocument()
    let bytes = try writer.finish()

    let root = try XMLDocumentReader.parse(bytes)
    #expect(root.name == "testsuites")
    #expect(root.attribute("name") == "mlgate")
    #expect(root.text == "")
    let suite = try #require(root.firstChild(named: "testsuite"))
    #expect(suite.attributeOrder == ["awkward", "controls", "coloured"])
    #expect(suite.attribute("awkward") == Self.awkwardAttribute)
    #expect(suite.attribute("controls") == "a#x01b#xFFFEc#x1B")
    #expect(suite.attribute("coloured") == "red")
    #expect(
      suite.children(named: "testcase").map { $0.attribute("name") } == ["emoji 😀 𝄞", "empty"])
    let testcase = try #require(suite.firstChild(named: "testcase"))
    let failure = try #require(testcase.firstChild(named: "failure"))
    #expect(failure.attribute("message") == "red")
    #expect(failure.text == Self.awkwardText)
    #expect(failure.text == xmlSanitized(Self.awkwardText))
    #expect(testcase.firstChild(named: "system-out")?.text == "a#x01b#xFFFEc#x1B then red")
    #expect(suite.children(named: "testcase").last?.children == [])
  }

  @Test func outputIsUTF8WithDeclarationAndTwoSpaceIndent() throws {
    let writer = try XMLStreamWriter()
    try writer.startDocument()
    try writer.startElement("a")
    try writer.startElement("b")
    try writer.attribute("x", "1")
    try writer.text("t")
    try writer.endElement()
    try writer.startElement("c")
    try writer.endElement()
    try writer.endElement()
    try writer.endDocument()
    let output = String(decoding: try writer.finish(), as: UTF8.self)
    #expect(
      output == """
        <?xml version="1.0" encoding="UTF-8"?>
        <a>
          <b x="1">t</b>
          <c/>
        </a>

        """)
  }

  @Test func withoutIndentNothingIsAdded() throws {
    let writer = try XMLStreamWriter(indent: false)
    try writer.startDocument()
    try writer.startElement("a")
    try writer.attribute("m", "\t\n\r\"<&>")
    try writer.startElement("b")
    try writer.text("\r]]>é")
    try writer.endDocument()
    let output = String(decoding: try writer.finish(), as: UTF8.self)
    #expect(
      output == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<a m=\"&#9;&#10;&#13;&quot;&lt;&amp;&gt;\"><b>&#13;]]&gt;é</b></a>\n")
  }

  // MARK: - Misuse

  @Test(arguments: ["", "1abc", "a b", "a<b", "x\u{0}y", "é\u{01}"])
  func invalidNamesThrow(name: String) throws {
    let writer = try XMLStreamWriter()
    try writer.startDocument()
    #expect(throws: XMLError.self) { try writer.startElement(name) }
    try writer.startElement("ok")
    #expect(throws: XMLError.self) { try writer.attribute(name, "v") }
  }

  @Test func misuseThrowsInsteadOfWritingBadXML() throws {
    let writer = try XMLStreamWriter()
    try writer.startDocument()
    #expect(throws: XMLError.self) { try writer.startDocument() }
    #expect(throws: XMLError.self) { try writer.endElement() }
    try writer.startElement("a")
    try writer.text("content")
    #expect(throws: XMLError.self) { try writer.attribute("late", "v") }
    try writer.endElement()
    #expect(throws: XMLError.self) { try writer.endElement() }
    #expect(throws: XMLError.self) { try writer.startElement("secondRoot") }
    #expect(throws: XMLError.self) { try writer.text("outside") }
    try writer.endDocument()
    #expect(throws: XMLError.self) { try writer.startElement("afterEnd") }
    let root = try XMLDocumentReader.parse(writer.finish())
    #expect(root == XMLElement(name: "a", text: "content"))
  }

  @Test func documentWithoutRootCannotEnd() throws {
    let writer = try XMLStreamWriter()
    #expect(throws: XMLError.self) { try writer.text("loose") }
    #expect(throws: XMLError.self) { try writer.endDocument() }
    #expect(try writer.finish() == [])
  }

  // MARK: - Size

  @Test func oneMegabyteOfTextAndTenThousandElements() throws {
    let line = "loss=0.125 step=42 <&> ünïcødé 😀\n"
    let big = String(repeating: line, count: 1_048_576 / line.utf8.count + 1)
    #expect(big.utf8.count > 1_048_576)
    let writer = try XMLStreamWriter()
    try writer.startDocument()
    try writer.startElement("testsuite")
    for (name, value) in [("name", "big"), ("tests", "10000"), ("failures", "0"), ("errors", "0")] {
      try writer.attribute(name, value)
    }
    for index in 0..<10_000 {
      try writer.startElement("testcase")
      try writer.attribute("name", "case \(index)")
      try writer.endElement()
    }
    try writer.startElement("system-out")
    try writer.text(big)
    try writer.endElement()
    try writer.endElement()
    try writer.endDocument()
    let bytes = try writer.finish()

    let root = try XMLDocumentReader.parse(bytes)
    let cases = root.children(named: "testcase")
    #expect(cases.count == 10_000)
    #expect(cases.last?.attribute("name") == "case 9999")
    #expect(root.firstChild(named: "system-out")?.text == big)
    let validator = try XMLSchemaValidator(xsdPath: XMLFixtures.junitSchemaPath())
    #expect(validator.validate(bytes) == [])
  }
}
