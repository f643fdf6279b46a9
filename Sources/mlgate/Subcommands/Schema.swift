import ArgumentParser
import MLGate

extension MLGateCommand {
  /// `mlgate schema …`: data schemas.
  struct Schema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Infer a data schema that 'tests: schema:' validates data against.",
      subcommands: [Infer.self])

    /// `mlgate schema infer DATA -o schema.yml`.
    struct Infer: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract:
          "Infer a schema (types, ranges, domains, missing shares) from a CSV or JSON Lines file.",
        discussion: """
          One streaming pass; memory does not grow with the rows. Review the YAML, widen its \
          ranges and domains to what production may send, and commit it.
          """)

      @Argument(help: "The data file (CSV with a header row, or JSON Lines).")
      var data: String

      @Option(name: .shortAndLong, help: "Where to write the schema (default: standard output).")
      var output: String?

      @Option(name: .long, help: "The label column (kept in the schema, marked as the label).")
      var label: String?

      @Option(
        name: .long,
        help: "A column with more distinct values than this is free text, not categorical.")
      var maxDomain = 50

      @Option(
        name: .long,
        help: "Cell texts read as missing, comma separated (an empty cell always is).")
      var missing = DataConfig.defaultMissingValues.filter { !$0.isEmpty }.joined(separator: ",")

      func run() async throws {
        guard (1...100_000).contains(maxDomain) else {
          StandardStream.error.write("error: --max-domain must be between 1 and 100000\n")
          throw ExitCode(ExitStatus.suiteError.rawValue)
        }
        let markers = Set(
          missing.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        ).union([""])
        do {
          let result = try SchemaInferCommand.run(
            path: data, label: label, maxDomain: maxDomain, missingValues: markers)
          if let output {
            try ReportFile.write(Array(result.yaml.utf8), to: output)
            StandardStream.error.write(
              "schema: \(result.columns) columns from \(result.rows) rows of \(data) → \(output)\n")
          } else {
            StandardStream.output.write(result.yaml)
          }
        } catch let error as DataError {
          StandardStream.error.write("error: \(error)\n")
          throw ExitCode(ExitStatus.suiteError.rawValue)
        } catch let error as ReportWriteError {
          StandardStream.error.write(
            "error: cannot write the schema to '\(error.path)': \(error.reason)\n")
          throw ExitCode(ExitStatus.infrastructureError.rawValue)
        }
      }
    }
  }
}
