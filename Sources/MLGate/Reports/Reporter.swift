/// Receives a run's results: the console as they come, files at the end.
package protocol Reporter: Sendable {
  /// The run is starting.
  func runStarted(suite: Suite, model: String)
  /// The test data is being scored: `rows` so far.
  func scoringProgress(rows: Int)
  /// One check finished.
  func checkFinished(_ result: CheckResult)
  /// The run finished; write whatever this reporter writes.
  func runFinished(_ report: RunReport) throws
}

extension Reporter {
  package func runStarted(suite: Suite, model: String) {}
  package func scoringProgress(rows: Int) {}
  package func checkFinished(_ result: CheckResult) {}
}
