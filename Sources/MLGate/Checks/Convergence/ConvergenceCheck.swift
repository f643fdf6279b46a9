/// One convergence test: a history series judged by ``ConvergenceAnalysis``, with its plot.
struct ConvergenceCheck: Check {
  let entry: ConvergenceConfig.Entry
  /// The entry's place in the section, which keeps plot file names apart.
  let number: Int

  var category: CategoryName { .convergence }
  var name: String { entry.name }

  func run(_ context: RunContext) async throws -> CheckReport {
    let entry = self.entry
    let read = await context.compute { () -> Result<ConvergenceAnalysis, DataError> in
      let reader = HistoryReader(
        path: entry.log, displayName: entry.logDisplay, format: entry.format)
      do throws(DataError) {
        let series = try reader.read(entry.series, axis: entry.axis)
        var validation: LossSeries?
        let candidates = entry.validation.candidates(for: entry.series)
        for candidate in candidates where candidate != entry.series {
          do throws(DataError) {
            validation = try reader.read(candidate, axis: series.axis)
            break
          } catch {
            if case .named = entry.validation { throw error }
          }
        }
        return .success(
          ConvergenceAnalysis(series: series, validation: validation, criteria: entry.criteria))
      } catch {
        return .failure(error)
      }
    }
    let analysis: ConvergenceAnalysis
    switch read {
    case .success(let found): analysis = found
    case .failure(let error): throw ScoringError.data(error)
    }
    var lines = analysis.findings.map { finding in
      "\(finding.outcome.rawValue.uppercased()) \(finding.step.rawValue): \(finding.message)"
    }
    var headline =
      "\(analysis.series.name) in \(entry.logDisplay): \(analysis.series.count) \(analysis.series.axis.rawValue)s"
      + (analysis.validation.map { ", validation \($0.name)" } ?? "")
    if let warning = analysis.findings.first(where: { $0.outcome == .warn }) {
      headline += " — warning: \(warning.step.rawValue): \(warning.message)"
    }
    lines.insert(headline, at: 0)
    if entry.plot, let attachments = context.attachments {
      let plot = LossPlot(analysis, title: entry.name)
      do {
        let path = try attachments.write(
          plot.svg, name: "convergence-\(number)-\(entry.series).svg")
        lines.append("plot: \(path)")
        lines.append(ReportAttachments.marker(path))
      } catch {
        lines.append("plot not written: \(error)")
      }
    }
    let summary = lines.joined(separator: "\n")
    switch analysis.outcome {
    case .fail:
      let failures = analysis.findings.filter { $0.outcome == .fail }
      let message = failures.map { "\($0.step.rawValue): \($0.message)" }.joined(separator: "; ")
      return CheckReport(
        outcome: .failed(message: TextFormat.trimmed(message, limit: 600), details: summary),
        summary: summary)
    case .inconclusive:
      let reason =
        analysis.findings.first { $0.outcome == .inconclusive }?.message ?? "too few points"
      return CheckReport(outcome: .skipped(message: reason, inconclusive: true), summary: summary)
    case .pass, .warn, .notRun:
      return CheckReport(outcome: .passed, summary: summary)
    }
  }
}
