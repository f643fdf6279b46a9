import Foundation
import Synchronization

/// One pipeline step: it runs, exits as expected, creates its artifacts and meets its outputs.
///
/// Artifacts get their SHA-256 in the report. Steps run first, in
/// order; after a failure the later ones are skipped, and the models are refused when the
/// failed part of the pipeline was to build them.
struct PipelineStepCheck: Check {
  let step: PipelineStep
  /// Artifacts of this step and the ones after it: the files a failure here leaves unbuilt.
  let unbuilt: Set<String>

  var category: CategoryName { .integration }
  var name: String { "pipeline step '\(step.name)' succeeds" }
  var phase: CheckPhase { .first }

  func run(_ context: RunContext) async throws -> CheckReport {
    let ledger = try await context.shared(LedgerKey()) { PipelineLedger() }
    if let failed = ledger.failed {
      let message = "not run: the earlier step '\(failed)' failed"
      return CheckReport(outcome: .skipped(message: message, inconclusive: false), summary: message)
    }
    let started = Date()
    let process = StepProcess(
      argv: step.argv, environment: step.environment, workingDirectory: step.workingDirectory,
      timeout: step.timeout)
    let outcome = await process.run()
    var lines = [
      "", "$ " + step.argv.joined(separator: " "), "in \(step.workingDirectory)",
    ]
    var problems: [String] = []
    // No time here: the test case's time says it, and a report must repeat with its seed.
    lines[0] = "did not finish"
    switch outcome.status {
    case .exited(let code):
      lines[0] = "exit status \(code)"
      if code != step.expectExit {
        problems.append("exited with status \(code) (expected \(step.expectExit))")
      }
    case .signaled(let signal): problems.append("was killed by signal \(signal)")
    case .timedOut:
      problems.append("ran past its timeout of \(TextFormat.short(step.timeout)) and was stopped")
    case .notStarted(let reason): problems.append("could not be started: \(reason)")
    }
    if problems.isEmpty {
      for artifact in step.artifacts {
        if let problem = check(artifact, since: started, into: &lines) { problems.append(problem) }
      }
      if let outputs = step.outputs { problems += judge(outputs, since: started, into: &lines) }
    }
    for (stream, text) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] {
      let tail = PipelineStepCheck.lastLines(text, count: 30)
      if !tail.isEmpty { lines.append("\(stream) (last lines):\n\(tail)") }
    }
    if problems.isEmpty {
      let artifacts = step.artifacts.count
      let outputs = step.outputs?.expectations.count ?? 0
      var parts: [String] = []
      if artifacts > 0 { parts.append("\(artifacts) artifact\(artifacts == 1 ? "" : "s")") }
      if outputs > 0 { parts.append("\(outputs) output\(outputs == 1 ? "" : "s")") }
      if !parts.isEmpty { lines[0] += "; \(parts.joined(separator: " and ")) as expected" }
    }
    let summary = lines.joined(separator: "\n")
    guard problems.isEmpty else {
      ledger.fail(step.name)
      let builds = context.suite.models.values.compactMap(\.artifact).filter(unbuilt.contains)
      if !builds.isEmpty {
        await context.blockModels(
          "not run: the pipeline step '\(step.name)' failed, so the model it builds (\(builds.joined(separator: ", "))) was not tested"
        )
      }
      let message = "step '\(step.name)' " + problems.joined(separator: "; ")
      return CheckReport(
        outcome: .failed(message: TextFormat.trimmed(message, limit: 600), details: summary),
        summary: summary)
    }
    return CheckReport(outcome: .passed, summary: summary)
  }

  /// Checks that an artifact was written by this step and is not empty; notes its digest.
  private func check(
    _ artifact: (path: String, display: String), since started: Date, into lines: inout [String]
  ) -> String? {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: artifact.path),
      attributes[.type] as? FileAttributeType == .typeRegular
    else { return "did not create the artifact \(artifact.display)" }
    let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    guard size > 0 else { return "left the artifact \(artifact.display) empty" }
    if let modified = attributes[.modificationDate] as? Date,
      modified < started.addingTimeInterval(-1)
    {
      return
        "did not write the artifact \(artifact.display): it was last changed before the step started (left over from an earlier run?)"
    }
    let digest = Provenance.digest(ofFile: artifact.path) ?? "unknown"
    lines.append("artifact \(artifact.display): \(TextFormat.bytes(size)), \(digest)")
    return nil
  }

  /// Judges the output parameters; returns the problems.
  private func judge(_ outputs: OutputParameters, since started: Date, into lines: inout [String])
    -> [String]
  {
    let bytes: [UInt8]
    do {
      bytes = try BoundedFile.read(outputs.path, limit: OutputReader.maxBytes)
    } catch {
      return ["did not write its output parameters \(outputs.display): \(error.reason)"]
    }
    let parameters = OutputReader.parameters(bytes)
    var problems: [String] = []
    for expectation in outputs.expectations {
      let expected = OutputReader.describe(expectation.rule)
      guard let value = parameters[expectation.key] else {
        problems.append("wrote no output '\(expectation.key)' in \(outputs.display)")
        continue
      }
      let (met, shown) = OutputReader.judge(value, expectation.rule)
      lines.append(
        "output \(expectation.key) = \(shown) (expected \(expected)): \(met ? "ok" : "NOT MET")")
      if !met { problems.append("output \(expectation.key) = \(shown), expected \(expected)") }
    }
    return problems
  }

  /// The last `count` lines of `text`.
  static func lastLines(_ text: String, count: Int) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let kept = lines.suffix(count + 1).joined(separator: "\n")
    return TextFormat.tail(kept.trimmingCharacters(in: "\n"), limit: 4_000)
  }

  private struct LedgerKey: Hashable, Sendable {}
}

/// Which step of this run's pipeline failed first.
final class PipelineLedger: Sendable {
  private let state = Mutex<String?>(nil)

  /// The first failed step.
  var failed: String? { state.withLock { $0 } }

  /// Records a failed step (the first one stays).
  func fail(_ step: String) { state.withLock { $0 = $0 ?? step } }
}
