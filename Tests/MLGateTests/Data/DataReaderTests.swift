import Foundation
import Testing

@testable import MLGate

@Suite struct DataReaderTests {
  func write(_ bytes: [UInt8], suffix: String = ".csv") throws -> String {
    let path = try TestEnvironment.temporaryDirectory() + "/data\(suffix)"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  func rows(_ path: String) throws -> (columns: [String], rows: [[DataValue]], lines: [Int]) {
    let table = try TableReader(path: path, displayName: "data", missingValues: ["", "NA"])
    var rows: [[DataValue]] = []
    var lines: [Int] = []
    while let row = try table.next() {
      rows.append(row.values)
      lines.append(row.line)
    }
    return (table.columns, rows, lines)
  }

  @Test func rfc4180QuotingNewlinesCRLFAndBOM() throws {
    let text =
      "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",3\r\n\"multi\nline\",,-2.5e3\r\nplain,NA,007\r\n"
    let path = try write(Array(text.utf8))
    let read = try rows(path)
    #expect(read.columns == ["a", "b", "c"])
    #expect(read.rows[0] == [.string("x, y"), .string("say \"hi\""), .number(3)])
    #expect(read.rows[1] == [.string("multi\nline"), .missing, .number(-2500)])
    #expect(read.rows[2] == [.string("plain"), .missing, .string("007")])
    #expect(read.lines == [2, 3, 5])
  }

  @Test func lastLineWithoutNewlineAndBlankLines() throws {
    let read = try rows(try write(Array("a,b\n\n1,2\n\n3,4".utf8)))
    #expect(read.rows == [[.number(1), .number(2)], [.number(3), .number(4)]])
  }

  static let brokenData: [String] = {
    let directory = TestEnvironment.path("fixtures/broken/data")
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
      !$0.hasSuffix(".expect")
    }.sorted()
  }()

  @Test("each broken data file gives its specific message with the line", arguments: brokenData)
  func brokenDataFile(name: String) throws {
    let path = TestEnvironment.path("fixtures/broken/data/\(name)")
    let expected = try String(contentsOfFile: path + ".expect", encoding: .utf8).trimmingCharacters(
      in: .whitespacesAndNewlines)
    let error = try #require(throws: DataError.self) {
      let table = try TableReader(path: path, displayName: name, missingValues: [""])
      let reader = try LabelledBatchReader(table: table, label: "label")
      while try reader.nextBatch(size: 2) != nil {}
    }
    #expect(error.description == expected, "got: \(error.description)")
  }

  @Test func brokenDataCorpusIsNotEmpty() { #expect(Self.brokenData.count >= 8) }

  @Test func jsonLinesRows() throws {
    let text = """
      {"a": 1, "b": "x", "label": "p"}

      {"b": null, "a": 2.5, "label": "n"}
      {"a": 3, "b": "", "label": "n"}
      {"a": 4, "b": "NA", "label": "p"}
      {"a": 5, "b": "NAB", "label": "p"}
      """
    let table = try TableReader(
      path: try write(Array(text.utf8), suffix: ".jsonl"), displayName: "d.jsonl",
      missingValues: ["", "NA"])
    let reader = try LabelledBatchReader(table: table, label: "label")
    let batch = try #require(try reader.nextBatch(size: 10))
    #expect(reader.featureNames == ["a", "b"])
    // Missing markers apply to JSON strings too, the empty string among them.
    #expect(
      batch.features == [
        [.number(1), .string("x")], [.number(2.5), .missing], [.number(3), .missing],
        [.number(4), .missing], [.number(5), .string("NAB")],
      ])
    #expect(batch.labels == [.string("p"), .string("n"), .string("n"), .string("p"), .string("p")])
    #expect(batch.lines == [1, 3, 4, 5, 6])
  }

  @Test func batchesBoundMemoryAndCoverEveryRow() throws {
    var text = "x,label\n"
    for i in 0..<1000 { text += "\(i),\(i % 2)\n" }
    let table = try TableReader(
      path: try write(Array(text.utf8)), displayName: "d", missingValues: [""])
    let reader = try LabelledBatchReader(table: table, label: "label")
    var sizes: [Int] = []
    while let batch = try reader.nextBatch(size: 64) { sizes.append(batch.count) }
    #expect(sizes.reduce(0, +) == 1000)
    #expect(sizes.max() == 64)
  }
}
