import ArgumentParser
import Foundation
import MLGate

extension MLGateCommand {
  /// `mlgate snapshot SUITE -o FILE`: saves a model's predictions on the test data.
  struct Snapshot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Save the baseline's predictions on the suite's test data, for later runs.",
      discussion: """
        A later suite compares with them by 'baseline: { snapshot: FILE }' without calling the \
        model in production. The snapshot answers only the rows it was taken on: other data is \
        refused.
        """)

    @Argument(help: "The suite file (mlgate.yml).")
    var suite: String

    @Option(name: [.short, .customLong("output")], help: "Where to write the snapshot.")
    var output: String

    @Option(help: "Whose predictions: baseline (default) or model.")
    var role = "baseline"

    func run() async throws {
      let loaded: Suite
      do {
        loaded = try SuiteLoader().load(path: suite)
      } catch {
        StandardStream.error.write("error: \(error)\n")
        throw ExitCode(ExitStatus.suiteError.rawValue)
      }
      let chosen: ModelRole
      switch role {
      case "baseline": chosen = .baseline
      case "model", "candidate": chosen = .candidate
      default:
        StandardStream.error.write("error: --role is 'baseline' or 'model', found '\(role)'\n")
        throw ExitCode(ExitStatus.suiteError.rawValue)
      }
      do {
        let outcome = try await Snapshotting.take(suite: loaded, role: chosen, output: output)
        StandardStream.output.write(
          "snapshot: \(outcome.rows) rows of \(outcome.data) by \(outcome.model) → \(output)\n")
      } catch let error as ScoringError {
        StandardStream.error.write("error: \(loaded.secrets.redact(error.description))\n")
        switch error {
        case .data, .suite: throw ExitCode(ExitStatus.suiteError.rawValue)
        default: throw ExitCode(ExitStatus.infrastructureError.rawValue)
        }
      } catch {
        StandardStream.error.write("error: \(loaded.secrets.redact("\(error)"))\n")
        throw ExitCode(ExitStatus.infrastructureError.rawValue)
      }
    }
  }
}
