import Testing

@testable import MLGateXML

@Suite struct XMLSanitizerTests {
  // MARK: - Table

  /// Inputs and their sanitised form.
  static let cases: [(String, String)] = [
    ("plain text", "plain text"),
    ("", ""),
    ("tab\tlf\ncr\rcrlf\r\n", "tab\tlf\ncr\rcrlf\r\n"),
    ("& < > \" ' ]]>", "& < > \" ' ]]>"),
    ("a\u{01}b", "a#x01b"),
    ("\u{00}\u{08}\u{0B}\u{0C}\u{0E}\u{1F}", "#x00#x08#x0B#x0C#x0E#x1F"),
    ("x\u{FFFE}y\u{FFFF}", "x#xFFFEy#xFFFF"),
    ("\u{7F}\u{85}\u{9B}\u{D7FF}\u{E000}\u{FFFD}", "\u{7F}\u{85}\u{9B}\u{D7FF}\u{E000}\u{FFFD}"),
    ("😀 𝄞 \u{10000}\u{10FFFF}", "😀 𝄞 \u{10000}\u{10FFFF}"),
    ("\u{1B}[31mred\u{1B}[0m", "red"),
    ("\u{1B}[1;38;5;208mbold\u{1B}[22m \u{1B}[m", "bold "),
    ("\u{1B}[2K\u{1B}[1Aprogress", "progress"),
    ("\u{1B}]8;;https://example.com\u{07}link\u{1B}]8;;\u{1B}\\", "link"),
    ("\u{1B}]0;title\u{1B}\\after", "after"),
    ("\u{1B}7saved\u{1B}8", "saved"),
    ("\u{1B}(Bcharset", "charset"),
    ("end\u{1B}", "end#x1B"),
    ("\u{1B}\u{1B}[1mx", "#x1Bx"),
    ("\u{1B}[31", "#x1B[31"),
    ("\u{1B}[3\u{01}m", "#x1B[3#x01m"),
    ("\u{1B}]unterminated", "#x1B]unterminated"),
    ("\u{1B}\n", "#x1B\n"),
    ("literal #x01 stays", "literal #x01 stays"),
  ]

  @Test(arguments: cases)
  func sanitizes(input: String, expected: String) {
    #expect(xmlSanitized(input) == expected)
  }

  // MARK: - Properties

  @Test func everyScalarOfTheResultIsAnXMLChar() {
    let all = String(
      String.UnicodeScalarView(
        (0...0x2FF).compactMap(Unicode.Scalar.init)
          + ["\u{FFFE}", "\u{FFFF}", "\u{10FFFF}"]))
    let sanitized = xmlSanitized(all)
    #expect(sanitized.unicodeScalars.allSatisfy { XMLSanitizer.isXMLChar($0.value) })
    #expect(xmlSanitized(sanitized) == sanitized)
  }

  @Test func visibleEscapeUsesTwoOrFourHexDigits() {
    #expect(XMLSanitizer.visibleEscape(0x0) == "#x00")
    #expect(XMLSanitizer.visibleEscape(0x1B) == "#x1B")
    #expect(XMLSanitizer.visibleEscape(0xFFFE) == "#xFFFE")
  }
}
