import Testing

@testable import MLGate

/// The schema file: every mistake named at its line.
@Suite struct SchemaFileTests {
  @Test(
    "a mistake in a schema file is named at its line",
    arguments: [
      ("version: 1\ncolumns:\n  a: { type: integr }\n", "schema.yml:3", "did you mean 'integer'"),
      ("columns:\n  a: { min: 1 }\n", "schema.yml:2", "has no 'type'"),
      ("columns:\n  a: { type: string, min: 1 }\n", "schema.yml:2", "apply to integer and number"),
      ("columns:\n  a: { type: integer, min: 5, max: 1 }\n", "schema.yml:2", "'min' 5 is above"),
      ("columns:\n  a: { type: integer, values: [x] }\n", "schema.yml:2", "categorical columns"),
      ("label: b\ncolumns:\n  a: { type: integer }\n", "schema.yml:1", "not one of the schema's"),
      ("columns:\n  a: { type: integer, max_missing: 2 }\n", "schema.yml:2", "between 0 and 1"),
      ("colums: {}\n", "schema.yml:1", "did you mean 'columns'"),
      ("columns:\n  a: { type: integer }\n  a: { type: string }\n", "schema.yml:2", "twice"),
      ("", "schema.yml", "empty"),
    ])
  func mistakesAreNamed(text: String, place: String, words: String) {
    do {
      _ = try SchemaFile.parse(text, file: "schema.yml")
      Issue.record("accepted: \(text)")
    } catch {
      #expect(error.description.hasPrefix(place), "\(error)")
      #expect(error.description.contains(words), "\(error)")
    }
  }

  @Test func aSchemaFileThatIsAFolderIsRefusedWithItsReason() throws {
    let folder = try TestEnvironment.temporaryDirectory()
    #expect(throws: SuiteError.self) { try SchemaFile.load(path: folder, displayName: "dir") }
  }
}
