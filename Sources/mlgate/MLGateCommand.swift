import ArgumentParser
import Foundation
import MLGate

/// The `mlgate` command: tests a model before it is promoted and writes JUnit XML for Jenkins.
@main
struct MLGateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mlgate",
    abstract: "Test a machine-learning model before it is promoted; write JUnit XML for Jenkins.",
    discussion: """
      Exit codes: 0 every check passed · 1 a check failed · 2 usage, suite or data error · \
      3 the model could not be reached or misbehaved.
      """,
    version: MLGateVersion.current,
    subcommands: [Run.self, Validate.self, Schema.self, Snapshot.self]
  )

  /// Parses the arguments and runs, mapping argument errors to exit status 2.
  static func main() async {
    // A reader that goes away (`mlgate … | head -1`) must not kill mlgate before its report.
    signal(SIGPIPE, SIG_IGN)
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
      StandardStream.error.write(fullMessage(for: error) + "\n")
      Foundation.exit(ExitStatus.suiteError.rawValue)
    }
  }
}
