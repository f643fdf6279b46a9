import ArgumentParser
import Foundation
import MLGate

extension MLGateCommand {
  /// `mlgate run SUITE`: runs the checks and writes the reports.
  struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a suite's checks against its model and write a JUnit report.")

    @Argument(help: "The suite file (mlgate.yml).")
    var suite: String

    @Option(name: .long, help: "Where to write the JUnit XML report.")
    var junit = "reports/mlgate.xml"

    @Option(name: .long, help: "Run only these categories (comma separated), e.g. quality.")
    var only: String?

    @Option(
      name: .customShort("k"), help: "Run only checks whose name contains this text (repeatable).")
    var filter: [String] = []

    @Flag(name: .long, help: "No colour on the console, even on a terminal.")
    var noColor = false

    func run() async throws {
      let suite: Suite
      do {
        suite = try SuiteLoader().load(path: self.suite)
      } catch {
        StandardStream.error.write("error: \(error)\n")
        let name = URL(fileURLWithPath: self.suite).deletingPathExtension().lastPathComponent
        do {
          try JUnitWriter(path: junit, secrets: SecretStore()).runFinished(
            RunReport.setupFailure(
              suiteName: name, message: error.description, kind: .suite))
        } catch {
          StandardStream.error.write("error: \(Runner.writeError(error))\n")
        }
        throw ExitCode(ExitStatus.suiteError.rawValue)
      }
      let only = only.map {
        Set(
          $0.split(separator: ",").map {
            CategoryName(rawValue: $0.trimmingCharacters(in: .whitespaces))
          })
      }
      let reporters: [any Reporter] = [
        ConsoleReporter(secrets: suite.secrets, colour: noColor ? false : nil),
        JUnitWriter(path: junit, secrets: suite.secrets),
      ]
      let report = await Runner(
        suite: suite,
        options: .init(
          only: only, nameFilters: filter.isEmpty ? nil : filter,
          attachments: ReportAttachments(reportPath: junit, secrets: suite.secrets)),
        reporters: reporters
      ).run()
      if report.unwritten.isEmpty { StandardStream.output.write("report: \(junit)\n") }
      let status = report.exitStatus
      if status != .passed { throw ExitCode(status.rawValue) }
    }
  }
}
