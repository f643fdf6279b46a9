import ArgumentParser
import Foundation
import MLGate

extension MLGateCommand {
  /// `mlgate validate SUITE`: checks a suite file without calling any model.
  struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a suite file (and its data files' headers) without calling any model.")

    @Argument(help: "The suite file (mlgate.yml).")
    var suite: String

    func run() async throws {
      do {
        let suite = try SuiteLoader().load(path: self.suite)
        try SuiteValidation.checkData(suite)
        let checks = Runner.checks(of: suite)
        let categories = Dictionary(grouping: checks, by: \.category).map {
          "\($0.key.rawValue): \($0.value.count)"
        }
        print(
          "ok: suite '\(suite.name)' — \(checks.count) checks (\(categories.sorted().joined(separator: ", ")))"
        )
      } catch {
        StandardStream.error.write("error: \(error)\n")
        throw ExitCode(ExitStatus.suiteError.rawValue)
      }
    }
  }
}
