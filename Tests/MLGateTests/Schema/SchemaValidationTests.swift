import Foundation
import Testing

@testable import MLGate

/// Data validated against a schema: the corrupted fixture against pandas' own count.
@Suite struct SchemaValidationTests {
  static func creditSchema() throws -> DataSchema {
    try SchemaFile.load(
      path: TestEnvironment.path("fixtures/credit/schema.yml"), displayName: "schema.yml")
  }

  @Test func theCorruptedCopyShowsWhatPandasFinds() throws {
    let table = try SchemaInferenceTests.table("fixtures/credit/test-corrupted.csv")
    let findings = try SchemaValidation(schema: try Self.creditSchema()).validate(table)
    let expected = try SchemaInferenceTests.json("fixtures/credit/expected-schema/anomalies.json")
    #expect(findings.rows == expected["rows"] as? Int)
    let want = try #require(expected["anomalies"] as? [[String: Any]])
    #expect(findings.anomalies.count == want.count)
    for item in want {
      let column = try #require(item["column"] as? String)
      let kindName = try #require(item["kind"] as? String)
      let kind = try #require(AnomalyKind(rawValue: kindName))
      let found = try #require(
        findings.anomalies.first { $0.column == column && $0.kind == kind }, "\(column) \(kind)")
      #expect(found.rows == item["rows"] as? Int, "\(column) \(kind)")
      if let lines = item["first_lines"] as? [Int] { #expect(found.firstLines == lines) }
      if let top = item["top_values"] as? [[Any]] {
        #expect(found.topValues.map(\.value) == top.map { $0[0] as? String })
        #expect(found.topValues.map(\.count) == top.map { $0[1] as? Int })
      }
    }
  }

  @Test func theTrainingAndTestDataPass() throws {
    for file in ["fixtures/credit/train.csv", "fixtures/credit/test.csv"] {
      let findings = try SchemaValidation(schema: try Self.creditSchema()).validate(
        try SchemaInferenceTests.table(file))
      #expect(findings.anomalies.isEmpty, "\(file): \(findings.anomalies)")
    }
  }

  @Test func aHeaderWithoutRowsIsAnEmptyFile() throws {
    let path = try SchemaInferenceTests.file("a,b\n")
    let table = try TableReader(path: path, displayName: "data.csv", missingValues: [""])
    let schema = DataSchema(columns: [ColumnSchema(name: "a", type: .integer)])
    let findings = try SchemaValidation(schema: schema).validate(table)
    #expect(findings.anomalies(.emptyFile).count == 1)
    #expect(findings.anomalies(.unexpectedColumn).map(\.column) == ["b"])
  }

  @Test func jsonLinesBooleansAndNullsAreJudgedByTheirColumn() throws {
    let path = try SchemaInferenceTests.file(
      """
      {"flag": true, "n": 1, "c": "a"}
      {"flag": false, "n": null, "c": "b"}
      {"flag": "maybe", "n": 2.5, "c": 3}

      """, suffix: "jsonl")
    let table = try TableReader(path: path, displayName: "data.jsonl", missingValues: [])
    let schema = DataSchema(columns: [
      ColumnSchema(name: "flag", type: .boolean),
      ColumnSchema(name: "n", type: .integer, maxMissing: 0.5, min: 0, max: 10),
      ColumnSchema(name: "c", type: .categorical, values: ["a", "b"]),
    ])
    let findings = try SchemaValidation(schema: schema).validate(table)
    #expect(findings.anomalies(.typeMismatch).map(\.column) == ["flag", "n"])
    #expect(findings.anomalies(.typeMismatch).map(\.firstLines) == [[3], [3]])
    #expect(findings.anomalies(.unknownCategory).first?.topValues.first?.value == "3")
    #expect(findings.anomalies(.tooManyMissing).isEmpty, "1 of 3 missing is within 0.5")
  }

  @Test func offendingValuesAreCountedWithinABound() throws {
    var lines = ["c"]
    for index in 0..<2000 { lines.append("v\(index)") }
    let path = try SchemaInferenceTests.file(lines.joined(separator: "\n") + "\n")
    let table = try TableReader(path: path, displayName: "data.csv", missingValues: [])
    let schema = DataSchema(columns: [ColumnSchema(name: "c", type: .categorical, values: ["x"])])
    let found = try #require(try SchemaValidation(schema: schema).validate(table).anomalies.first)
    #expect(found.rows == 2000)
    #expect(found.firstLines == [2, 3, 4, 5, 6])
    #expect(found.topValues.count == 5)
  }
}
