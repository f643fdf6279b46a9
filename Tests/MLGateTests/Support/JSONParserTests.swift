import Foundation
import PropertyBased
import Testing

@testable import MLGate

/// The JSON reader: direct cases, and properties against Foundation's writer (random inputs;
/// a failure prints the seed that reproduces it).
@Suite struct JSONParserTests {
  @Test func objectKeysKeepDocumentOrder() throws {
    let value = try JSONParser.parse(#"{"z": 1, "a": [true, null], "m": {"y": "x", "b": -2.5e3}}"#)
    guard case .object(let entries) = value else {
      Issue.record("not an object")
      return
    }
    #expect(entries.map(\.key) == ["z", "a", "m"])
    #expect(
      value["m"] == .object([(key: "y", value: .string("x")), (key: "b", value: .number(-2500))]))
  }

  @Test func nonStandardNumberTokensAreReadSoTheCallerCanNameThem() throws {
    let value = try JSONParser.parse("[NaN, Infinity, -Infinity]")
    guard case .array(let items) = value else {
      Issue.record("not an array")
      return
    }
    #expect(items[0].numberValue?.isNaN == true)
    #expect(items[1] == .number(.infinity))
    #expect(items[2] == .number(-.infinity))
  }

  @Test(
    "errors name the byte where the text goes wrong",
    arguments: [
      ("[1, 2,]", 6), ("{\"a\" 1}", 5), ("[1] x", 4), ("\"abc", 4), ("01", 2), ("[\"\\u12\"]", 6),
      ("", 0), ("tru", 3),
    ])
  func errorsHaveOffsets(text: String, offset: Int) {
    do {
      _ = try JSONParser.parse(text)
      Issue.record("'\(text)' was accepted")
    } catch {
      #expect(error.offset == offset, "\(text): \(error)")
    }
  }

  @Test func nestingIsBounded() throws {
    let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
    #expect((try? JSONParser.parse(fine)) != nil)
  }

  @Test func escapesAndSurrogatePairsDecode() throws {
    let value = try JSONParser.parse(#"["\u00e9\n\t\"\\\/", "\ud83d\ude00"]"#)
    #expect(value == .array([.string("é\n\t\"\\/"), .string("😀")]))
  }

  /// Any string Foundation writes reads back as the same string.
  @Test
  func stringsWrittenByFoundationReadBack() async throws {
    let scalars = Gen.unicodeScalar(in: "\u{0}"..."\u{D7FF}")
    await propertyCheck(count: 300, input: scalars.array(of: 0...40)) { characters in
      var text = ""
      text.unicodeScalars.append(contentsOf: characters)
      let written = try JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
      #expect(try JSONParser.parse(Array(written)) == .array([.string(text)]))
    }
  }

  /// Any finite double Foundation writes reads back as the same double.
  @Test
  func numbersWrittenByFoundationReadBack() async throws {
    await propertyCheck(count: 500, input: Gen.double(in: -1e300...1e300)) { number in
      let written = try JSONSerialization.data(withJSONObject: [number])
      let parsed = try JSONParser.parse(Array(written))
      guard case .array(let items) = parsed, case .number(let read)? = items.first else {
        Issue.record("not a number: \(parsed)")
        return
      }
      let decoded = try #require(
        try JSONSerialization.jsonObject(with: written) as? [Double]
      ).first
      #expect(read == decoded)
    }
  }

  /// Rows written by mlgate's own writer read back in key order, whatever their values.
  @Test
  func recordsRoundTripThroughTheWriter() async throws {
    let cell = Gen.double(in: -1e6...1e6).array(of: 1...12)
    await propertyCheck(count: 200, input: cell) { numbers in
      let names = numbers.indices.map { "column \($0) ✓" }.reversed().map { $0 }
      let row = numbers.enumerated().map { index, number -> DataValue in
        index % 3 == 0 ? .string("\(number)") : index % 5 == 4 ? .missing : .number(number)
      }
      var writer = JSONWriter(capacity: 256)
      writer.records(ModelInput(featureNames: names, rows: [row]))
      let parsed = try JSONParser.parse(writer.bytes)
      guard case .array(let rows) = parsed, case .object(let entries)? = rows.first else {
        Issue.record("not an array of objects")
        return
      }
      #expect(entries.map(\.key) == names)
      #expect(entries.map(\.value) == row.map(\.json))
    }
  }
}
