package import MLGate

/// A model that answers each row with the value of its first feature, after a delay that varies
/// with that value, so that concurrent batches come back out of order.
package struct EchoModel: Model {
  /// Batches in flight at once.
  package var maxConcurrency: Int
  /// Counts the batches it answered.
  package let calls = CallCounter()

  /// Creates an echo model.
  package init(concurrency: Int = 4) { maxConcurrency = concurrency }

  package var displayName: String { "echo" }

  package func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
    calls.increment()
    var first = 0
    if case .number(let value)? = batch.rows.first?.first { first = Int(value) }
    try? await Task.sleep(for: .milliseconds((first * 7919) % 23))
    return Predictions(values: batch.rows.map { $0[0] }, probabilities: nil, classes: nil)
  }

  package func shutdown() async {}
}
