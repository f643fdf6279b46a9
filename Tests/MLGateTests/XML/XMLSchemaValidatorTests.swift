import Testing

@testable import MLGateTestSupport
@testable import MLGateXML

@Suite struct XMLSchemaValidatorTests {
  let validator: XMLSchemaValidator

  init() throws {
    validator = try XMLSchemaValidator(xsdPath: XMLFixtures.junitSchemaPath())
  }

  /// A JUnit document with one suite whose body is `body` and whose extra attributes are `extra`.
  static func junit(_ body: String, suiteAttributes extra: String = "") -> [UInt8] {
    Array(
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuites name="mlgate" tests="2" failures="1" errors="0" time="1.500">
        <testsuite name="model.quality" tests="2" failures="1" errors="0"\(extra)>
      \(body)
        </testsuite>
      </testsuites>
      """.utf8)
  }

  // MARK: - Valid

  @Test func validDocumentHasNoErrors() {
    let document = Self.junit(
      """
          <properties><property name="seed" value="7"/></properties>
          <testcase classname="model.quality" name="accuracy is at least 0.70" time="1.111"/>
          <testcase classname="model.quality" name="auc is at least 0.75" time="0.389">
            <failure message="auc 0.71 &lt; 0.75" type="threshold">n=1000</failure>
            <system-out>[[ATTACHMENT|reports/roc.png]]</system-out>
          </testcase>
      """, suiteAttributes: " time=\"1.500\" timestamp=\"2026-11-23T09:00:00Z\"")
    #expect(validator.validate(document) == [])
  }

  @Test func testcaseTimeIsAnUncheckedString() {
    // Only suite times are SUREFIRE_TIME; a testcase's `time` is xs:string in junit-10.xsd.
    let document = Self.junit("    <testcase name=\"n\" time=\"1,5s\"/>")
    #expect(validator.validate(document) == [])
  }

  // MARK: - Invalid

  /// Invalid bodies, suite attributes, the line of the error and its message (or a part of it).
  static let invalid: [(String, String, Int, String)] = [
    (
      "    <testcase classname=\"c\"/>", "", 4,
      "Element 'testcase': The attribute 'name' is required but missing."
    ),
    (
      "    <testcase name=\"n\">\n      <properties/>\n    </testcase>", "", 5,
      "Element 'properties': This element is not expected."
    ),
    (
      "    <testcase name=\"n\"/>", " time=\"1,5s\"", 3,
      "Element 'testsuite', attribute 'time': [facet 'pattern'] The value '1,5s' is not accepted"
    ),
  ]

  @Test(arguments: invalid)
  func invalidDocumentsReportLineAndMessage(
    body: String, attributes: String, line: Int, message: String
  ) throws {
    let errors = validator.validate(Self.junit(body, suiteAttributes: attributes))
    let error = try #require(errors.first)
    #expect(error.line == line)
    #expect(error.message.hasPrefix(message), "\(error)")
  }

  @Test func everyIssueIsReported() {
    let document = Self.junit(
      "    <testcase/>\n    <testcase/>\n    <testcase name=\"ok\"/>\n    <bogus/>")
    let errors = validator.validate(document)
    #expect(errors.map(\.line) == [4, 5, 7])
  }

  @Test func malformedDocumentYieldsItsParseError() throws {
    let errors = validator.validate(Array("<testsuites>\n<testsuite>\n</testsuites>".utf8))
    let error = try #require(errors.first)
    #expect(error.line == 3)
    #expect(error.message.contains("mismatch"))
    #expect(validator.validate([]).first?.message == "Document is empty")
  }

  @Test func externalEntityInAValidatedDocumentIsNotRead() throws {
    // Were the entity expanded, the validator would name the element the file holds.
    let secret = try XMLFixtures.temporaryFile("<mlgate-secret-marker/>", suffix: ".txt")
    defer { XMLFixtures.remove(secret) }
    let document = """
      <!DOCTYPE testsuites [<!ENTITY e SYSTEM "file://\(secret)">]>
      <testsuites><testsuite name="s" tests="0" failures="0" errors="0">&e;</testsuite>
      </testsuites>
      """
    let errors = validator.validate(Array(document.utf8))
    #expect(errors.allSatisfy { !$0.description.contains("mlgate-secret-marker") }, "\(errors)")
  }

  @Test func concurrentValidationsShareOneSchema() async {
    let valid = Self.junit("    <testcase name=\"n\"/>")
    let invalid = Self.junit("    <testcase/>")
    let validator = self.validator
    let counts = await withTaskGroup(of: (Int, Int).self) { group in
      for _ in 0..<8 {
        group.addTask {
          var result = (0, 0)
          for _ in 0..<50 {
            result.0 += validator.validate(valid).count
            result.1 += validator.validate(invalid).count
          }
          return result
        }
      }
      return await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
    }
    #expect(counts.count == 8)
    #expect(counts.allSatisfy { $0 == (0, 50) })
  }

  // MARK: - Schemas

  @Test func malformedSchemaIsAnError() {
    let error = #expect(throws: XMLError.self) {
      try XMLSchemaValidator(
        xsd: Array("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n".utf8))
    }
    #expect(error?.line != nil)
  }

  @Test func invalidSchemaIsAnError() {
    let xsd = """
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:element name="a" type="missingType"/>
      </xs:schema>
      """
    let error = #expect(throws: XMLError.self) { try XMLSchemaValidator(xsd: Array(xsd.utf8)) }
    #expect(error?.message.contains("missingType") == true, "\(String(describing: error))")
  }

  @Test func schemaReferencesAreRejected() {
    let xsd = """
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:include schemaLocation="http://example.com/other.xsd"/>
      </xs:schema>
      """
    let error = #expect(throws: XMLError.self) { try XMLSchemaValidator(xsd: Array(xsd.utf8)) }
    #expect(error?.message.contains("xs:include is not supported") == true)
    #expect(error?.line == 2)
  }

  @Test func missingSchemaFileIsAnError() {
    #expect(throws: XMLError.self) { try XMLSchemaValidator(xsdPath: "/nonexistent/schema.xsd") }
  }
}
