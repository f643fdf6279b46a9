import PropertyBased
import Testing

@testable import MLGate

/// Splitting a model's output into lines, however the bytes are chunked.
@Suite struct LineBufferTests {
  func split(_ chunks: [[UInt8]], limit: Int = 1 << 20) -> (lines: [[UInt8]], kept: Bool) {
    var buffer = LineBuffer(limit: limit)
    var lines: [[UInt8]] = []
    for chunk in chunks {
      let kept = chunk.withUnsafeBytes { buffer.feed($0) { lines.append($0) } }
      if !kept { return (lines, false) }
    }
    buffer.finish { lines.append($0) }
    return (lines, true)
  }

  @Test func crlfEmptyLinesAndAnUnfinishedLastLine() {
    let text = Array("a\r\n\nbc\n\r\nlast".utf8)
    #expect(split([text]).lines == [Array("a".utf8), Array("bc".utf8), Array("last".utf8)])
  }

  @Test func aLineLongerThanTheLimitStopsTheBuffer() {
    let (lines, kept) = split(
      [Array("ok\n".utf8), [UInt8](repeating: 0x78, count: 100)], limit: 10)
    #expect(lines == [Array("ok".utf8)])
    #expect(!kept)
    #expect(split([[UInt8](repeating: 0x78, count: 10), [0x0A]], limit: 10).kept)
  }

  /// Any chunking of any text gives the lines that splitting the whole text gives.
  @Test func chunkingNeverChangesTheLines() async {
    let alphabet: [UInt8] = [0x61, 0x62, 0x0A, 0x0D, 0x20]
    let bytes = Gen.int(in: 0...4).map { alphabet[$0] }.array(of: 0...200)
    await propertyCheck(count: 300, input: bytes, Gen.int(in: 1...17)) { text, size in
      let whole = split([text]).lines
      let chunks = stride(from: 0, to: text.count, by: size).map {
        Array(text[$0..<min(text.count, $0 + size)])
      }
      #expect(split(chunks).lines == whole)
      let expected = text.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
        Array(line.last == 0x0D ? line.dropLast() : line)
      }.filter { !$0.isEmpty }
      #expect(whole == expected)
    }
  }
}
