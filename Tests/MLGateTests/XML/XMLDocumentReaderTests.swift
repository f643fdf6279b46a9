import Testing

@testable import MLGateTestSupport
@testable import MLGateXML

@Suite struct XMLDocumentReaderTests {
  // MARK: - Trees

  @Test func readsAttributesInOrderTextCDATAAndChildren() throws {
    let document = """
      <?xml version="1.0" encoding="UTF-8"?>
      <!-- a comment -->
      <root z="1" a="2" xmlns:x="urn:x">
        <x:child m="&amp;&lt;&#9;&#x1F600;">one<![CDATA[ <two> ]]>three</x:child>
        <?pi ignored?>
        <empty/>
        <mixed>before <b/> after</mixed>
        <space>   </space>
      </root>
      """
    let root = try XMLDocumentReader.parse(Array(document.utf8))
    #expect(root.name == "root")
    #expect(root.attributeOrder == ["xmlns:x", "z", "a"])
    #expect(root.attributes == ["z": "1", "a": "2", "xmlns:x": "urn:x"])
    #expect(root.text == "")
    #expect(root.children.map(\.name) == ["x:child", "empty", "mixed", "space"])
    let child = try #require(root.firstChild(named: "x:child"))
    #expect(child.attribute("m") == "&<\t😀")
    #expect(child.text == "one <two> three")
    #expect(root.firstChild(named: "empty") == XMLElement(name: "empty"))
    #expect(root.firstChild(named: "mixed")?.text == "before  after")
    #expect(root.firstChild(named: "space")?.text == "   ")
    #expect(root.firstChild(named: "missing") == nil)
    #expect(root.attribute("missing") == nil)
  }

  @Test func parsesFilesByPath() throws {
    let path = try XMLFixtures.temporaryFile("<a><b>text</b></a>")
    defer { XMLFixtures.remove(path) }
    let root = try XMLDocumentReader.parse(path: path)
    #expect(root == XMLElement(name: "a", children: [XMLElement(name: "b", text: "text")]))
  }

  @Test func missingFileIsAnError() {
    let error = #expect(throws: XMLError.self) {
      try XMLDocumentReader.parse(path: "/nonexistent/mlgate/report.xml")
    }
    #expect(error?.message.contains("/nonexistent/mlgate/report.xml") == true)
    #expect(error?.message.contains("No such file") == true)
  }

  // MARK: - Errors

  /// Malformed documents, the line of their first error and a word of its message.
  static let malformed: [(String, Int, String)] = [
    ("<a>\n<b>\n</a>", 3, "mismatch"),
    ("<a>\n\n  <b x=1/></a>", 3, "AttValue"),
    ("<a/>\n<b/>", 2, "Extra content"),
    ("<a>\n\u{01}</a>", 2, "invalid"),
    ("<a>\n<b>", 2, "end"),
    ("<a>&undefined;</a>", 1, "undefined"),
    ("<a x='1' x='2'/>", 1, "redefined"),
    ("no markup", 1, "Document is empty"),
    ("<a>\n  <b>\n  </b\n</a>", 4, "expected"),
  ]

  @Test(arguments: malformed)
  func malformedDocumentsReportTheirLine(document: String, line: Int, word: String) {
    let error = #expect(throws: XMLError.self) {
      try XMLDocumentReader.parse(Array(document.utf8))
    }
    #expect(error?.line == line)
    #expect(error?.column != nil)
    #expect(error?.message.contains(word) == true, "\(String(describing: error))")
    #expect(error?.message.hasSuffix("\n") == false)
  }

  @Test func emptyInputIsAnError() {
    #expect(throws: XMLError(message: "Document is empty", line: 1)) {
      try XMLDocumentReader.parse([])
    }
  }

  @Test func errorDescriptionIncludesThePosition() {
    #expect(XMLError(message: "m", line: 3, column: 7).description == "line 3, column 7: m")
    #expect(XMLError(message: "m", line: 3).description == "line 3: m")
    #expect(XMLError(message: "m").description == "m")
  }

  // MARK: - Entities

  @Test func externalEntityIsNeverRead() throws {
    let passwd = """
      <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>
      """
    let error = #expect(throws: XMLError.self) { try XMLDocumentReader.parse(Array(passwd.utf8)) }
    #expect(error?.message.contains("'&e;' is not supported") == true)
    #expect(error?.message.contains("root:") == false)

    let secret = try XMLFixtures.temporaryFile("mlgate-secret-marker", suffix: ".txt")
    defer { XMLFixtures.remove(secret) }
    let local = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file://\(secret)\">]><x>&e;</x>"
    let localError = #expect(throws: XMLError.self) {
      try XMLDocumentReader.parse(Array(local.utf8))
    }
    #expect(localError?.description.contains("mlgate-secret-marker") == false)
  }

  @Test func externalDTDsAndParameterEntitiesAreNotLoaded() throws {
    // If libxml2 loaded this DTD, its syntax error would fail the parse.
    let dtd = try XMLFixtures.temporaryFile("<!ELEMENT broken mlgate-marker", suffix: ".dtd")
    defer { XMLFixtures.remove(dtd) }
    let external = "<!DOCTYPE x SYSTEM \"file://\(dtd)\"><x a=\"1\"/>"
    #expect(try XMLDocumentReader.parse(Array(external.utf8)).attribute("a") == "1")
    let parameter = "<!DOCTYPE x [<!ENTITY % p SYSTEM \"file://\(dtd)\"> %p;]><x/>"
    #expect(try XMLDocumentReader.parse(Array(parameter.utf8)).name == "x")
  }

  @Test func internalEntitiesAreRejectedNotExpanded() {
    let document = "<!DOCTYPE x [<!ENTITY e \"expanded\">]>\n<x>&e;</x>"
    let error = #expect(throws: XMLError.self) { try XMLDocumentReader.parse(Array(document.utf8)) }
    #expect(error?.line == 2)
  }
}
