import Foundation
import PropertyBased
import Testing

@testable import MLGate

/// `mlgate schema infer`: against pandas' reading of the same file, the committed fixture, and
/// properties over random tables.
@Suite struct SchemaInferenceTests {
  static func table(_ relative: String) throws -> TableReader {
    try TableReader(
      path: TestEnvironment.path(relative), displayName: relative, missingValues: ["", "NA"])
  }

  static func json(_ relative: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: TestEnvironment.path(relative)))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// Writes `text` to a temporary file with `suffix` and returns its path.
  static func file(_ text: String, suffix: String = "csv") throws -> String {
    let path = try TestEnvironment.temporaryDirectory() + "/data.\(suffix)"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test func creditTrainingDataGivesWhatPandasReads() throws {
    let result = try SchemaInference(label: "Risk").infer(
      try Self.table("fixtures/credit/train.csv"))
    let expected = try Self.json("fixtures/credit/expected-schema/inferred.json")
    #expect(result.rows == expected["rows"] as? Int)
    let columns = try #require(expected["columns"] as? [String: [String: Any]])
    #expect(Set(result.schema.columns.map(\.name)) == Set(columns.keys))
    #expect(result.schema.label == "Risk")
    for column in result.schema.columns {
      let want = try #require(columns[column.name])
      #expect(column.type.rawValue == want["type"] as? String, "\(column.name)")
      #expect(column.min == (want["min"] as? NSNumber)?.doubleValue, "\(column.name)")
      #expect(column.max == (want["max"] as? NSNumber)?.doubleValue, "\(column.name)")
      #expect(
        column.maxMissing == (want["max_missing"] as? NSNumber)?.doubleValue, "\(column.name)")
      #expect(column.values == want["values"] as? [String], "\(column.name)")
      #expect(column.required)
    }
  }

  @Test func theCommittedSchemaIsWhatInferenceWrites() throws {
    let inferred = try SchemaInference(label: "Risk").infer(
      try Self.table("fixtures/credit/train.csv"))
    let committed = try SchemaFile.load(
      path: TestEnvironment.path("fixtures/credit/schema.yml"), displayName: "schema.yml")
    #expect(committed == inferred.schema)
  }

  @Test func typesFollowThePresentValues() throws {
    let path = try Self.file(
      """
      whole,fraction,flag,code,text,empty,mixed
      1,0.5,true,a,t0,,1
      2,1,FALSE,b,t1,,x
      -3,2,True,a,t2,NA,01
      4,,false,,t3,,x

      """)
    let table = try TableReader(path: path, displayName: "data.csv", missingValues: ["", "NA"])
    let schema = try SchemaInference(maxDomain: 3).infer(table).schema
    let byName = Dictionary(uniqueKeysWithValues: schema.columns.map { ($0.name, $0) })
    #expect(byName["whole"]?.type == .integer)
    #expect(byName["whole"]?.min == -3)
    #expect(byName["whole"]?.max == 4)
    #expect(byName["fraction"]?.type == .number)
    #expect(byName["fraction"]?.maxMissing == 0.25)
    #expect(byName["flag"]?.type == .boolean)
    #expect(byName["code"]?.type == .categorical)
    #expect(byName["code"]?.values == ["a", "b"])
    #expect(byName["text"]?.type == .string, "four distinct values exceed the domain of 3")
    #expect(byName["empty"]?.type == .string)
    #expect(byName["empty"]?.maxMissing == 1)
    // "01" stays text (a leading zero), so the column mixes numbers and text.
    #expect(byName["mixed"]?.type == .categorical)
    #expect(byName["mixed"]?.values == ["01", "1", "x"])
  }

  @Test func theMissingShareIsRoundedUpSoTheSourceValidates() throws {
    // 1 of 3 rows missing: 0.3333… is written as 0.3334, not 0.3333.
    let path = try Self.file("a,b\n1,\n2,x\n3,y\n")
    let table = try TableReader(path: path, displayName: "data.csv", missingValues: [""])
    let schema = try SchemaInference().infer(table).schema
    #expect(schema.column("b")?.maxMissing == 0.3334)
  }

  @Test func aLabelThatIsNotAColumnIsNamed() throws {
    let path = try Self.file("age,risk\n1,a\n")
    let table = try TableReader(path: path, displayName: "data.csv", missingValues: [""])
    #expect(throws: DataError.self) { try SchemaInference(label: "Risk").infer(table) }
    do {
      _ = try SchemaInference(label: "Risk").infer(
        try TableReader(path: path, displayName: "data.csv", missingValues: [""]))
    } catch {
      #expect(error.description.contains("did you mean 'risk'"))
    }
  }

  /// Any schema written as YAML reads back as the same schema, whatever its names and values.
  @Test func schemasRoundTripThroughYAML() async throws {
    let scalars = Gen.unicodeScalar(in: " "..."\u{2FF}").array(of: 1...12)
    await propertyCheck(count: 200, input: scalars.array(of: 1...6)) { words in
      let texts = words.map { scalars -> String in
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
      }
      let columns = texts.enumerated().map { index, text -> ColumnSchema in
        switch index % 3 {
        case 0:
          return ColumnSchema(
            name: text + "\(index)", type: .categorical, maxMissing: 0.25,
            values: Array(Set(texts + ["yes", "1", "-x", "a: b", "#c"])).sorted())
        case 1:
          return ColumnSchema(
            name: text + "\(index)", type: .number, required: false, min: -1.5, max: 1e6)
        default:
          return ColumnSchema(name: text + "\(index)", type: .string)
        }
      }
      let schema = DataSchema(label: columns.first?.name, columns: columns)
      let yaml = SchemaFile.yaml(schema, source: texts[0], rows: 3)
      let read = try SchemaFile.parse(yaml, file: "schema.yml")
      #expect(read == schema, "\(yaml)")
    }
  }

  /// The schema inferred from any table validates that table without an anomaly.
  @Test func anInferredSchemaAdmitsItsOwnData() async throws {
    let cells = Gen.double(in: -1000...1000).array(of: 4...40)
    await propertyCheck(count: 100, input: cells) { numbers in
      var lines = ["n,i,c,t"]
      for (row, number) in numbers.enumerated() {
        let integer = Int(number.rounded())
        let category = ["a", "b", "c"][abs(integer) % 3]
        let text = row % 7 == 3 ? "" : "t\(integer)"
        lines.append("\(number),\(integer),\(category),\(text)")
      }
      let path = try Self.file(lines.joined(separator: "\n") + "\n")
      func table() throws -> TableReader {
        try TableReader(path: path, displayName: "data.csv", missingValues: [""])
      }
      let schema = try SchemaInference(maxDomain: 10).infer(try table()).schema
      let findings = try SchemaValidation(schema: schema).validate(try table())
      #expect(findings.anomalies.isEmpty, "\(findings.anomalies)")
      #expect(findings.rows == numbers.count)
    }
  }
}
