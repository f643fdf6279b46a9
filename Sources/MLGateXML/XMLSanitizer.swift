/// Replaces every character outside XML 1.0 `Char` with a visible escape, after stripping ANSI
/// escape sequences.
///
/// XML 1.0 `Char` is `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
/// Any other scalar (C0 controls other than TAB, LF and CR; U+FFFE; U+FFFF) becomes `#x` followed
/// by its upper-case hexadecimal code, two digits up to U+00FF and four above (pytest's format):
/// U+0001 → `#x01`, U+001B → `#x1B`, U+FFFE → `#xFFFE`. A literal `#x01` in the input is left
/// as it is, so the escape is visible but not reversible.
///
/// These ANSI/ECMA-48 sequences are removed first:
/// - CSI: `ESC [`, parameter bytes `0x30–0x3F`, intermediate bytes `0x20–0x2F`, a final byte
///   `0x40–0x7E` (colours such as `ESC [ 31 m`, cursor movement);
/// - OSC, DCS, SOS, PM and APC strings: `ESC ]`, `ESC P`, `ESC X`, `ESC ^` or `ESC _`, any text,
///   then BEL or ST (`ESC \`) (hyperlinks, window titles);
/// - other escapes: `ESC`, optional intermediate bytes `0x20–0x2F`, a final byte `0x30–0x7E`
///   (two-character `ESC x` such as `ESC 7`, or `ESC ( B`).
///
/// An `ESC` that does not start a complete sequence is kept visibly as `#x1B` and the text after
/// it is processed normally.
///
/// - Parameter text: Any string, for example a model's output.
/// - Returns: `text` with ANSI sequences removed and every non-XML character escaped; `text`
///   itself when there is nothing to change.
package func xmlSanitized(_ text: String) -> String {
  XMLSanitizer.sanitize(text)
}

/// The implementation of ``xmlSanitized(_:)``.
enum XMLSanitizer {
  /// The escape character that starts every ANSI sequence.
  private static let escape: UInt32 = 0x1B

  /// Returns `text` sanitised as described in ``xmlSanitized(_:)``.
  static func sanitize(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value == escape || !isXMLChar($0.value) })
    else { return text }
    let scalars = Array(text.unicodeScalars)
    var result = String.UnicodeScalarView()
    result.reserveCapacity(scalars.count)
    var index = 0
    while index < scalars.count {
      let value = scalars[index].value
      if value == escape, let end = endOfEscapeSequence(scalars, at: index) {
        index = end
        continue
      }
      if isXMLChar(value) {
        result.append(scalars[index])
      } else {
        result.append(contentsOf: visibleEscape(value).unicodeScalars)
      }
      index += 1
    }
    return String(result)
  }

  /// Whether `value` matches the XML 1.0 `Char` production.
  static func isXMLChar(_ value: UInt32) -> Bool {
    switch value {
    case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
    default: false
    }
  }

  /// The visible replacement of a character that XML cannot hold, such as `#x1B`.
  static func visibleEscape(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    let width = value <= 0xFF ? 2 : 4
    return "#x" + String(repeating: "0", count: max(0, width - hex.count)) + hex
  }

  /// Returns the index just past the complete ANSI sequence that starts with the `ESC` at
  /// `start`, or `nil` when no complete sequence starts there.
  private static func endOfEscapeSequence(_ scalars: [Unicode.Scalar], at start: Int) -> Int? {
    let introducer = start + 1
    guard introducer < scalars.count else { return nil }
    switch scalars[introducer].value {
    case 0x5B:  // CSI: ESC [ parameters intermediates final
      var index = skip(scalars, from: introducer + 1, while: 0x30...0x3F)
      index = skip(scalars, from: index, while: 0x20...0x2F)
      return final(scalars, at: index, in: 0x40...0x7E)
    case 0x5D, 0x50, 0x58, 0x5E, 0x5F:  // OSC, DCS, SOS, PM, APC: text up to BEL or ST
      var index = introducer + 1
      while index < scalars.count {
        switch scalars[index].value {
        case 0x07:
          return index + 1
        case escape:
          let next = index + 1
          return next < scalars.count && scalars[next] == "\\" ? next + 1 : nil
        default:
          index += 1
        }
      }
      return nil
    case 0x20...0x2F:  // ESC intermediates final, such as ESC ( B
      let index = skip(scalars, from: introducer, while: 0x20...0x2F)
      return final(scalars, at: index, in: 0x30...0x7E)
    case 0x30...0x7E:  // two-character ESC x
      return introducer + 1
    default:
      return nil
    }
  }

  /// Returns the first index at or after `start` whose scalar is outside `range`.
  private static func skip(
    _ scalars: [Unicode.Scalar], from start: Int, while range: ClosedRange<UInt32>
  ) -> Int {
    var index = start
    while index < scalars.count, range.contains(scalars[index].value) { index += 1 }
    return index
  }

  /// Returns the index after `index` if the scalar there is a final byte in `range`.
  private static func final(
    _ scalars: [Unicode.Scalar], at index: Int, in range: ClosedRange<UInt32>
  ) -> Int? {
    index < scalars.count && range.contains(scalars[index].value) ? index + 1 : nil
  }
}
