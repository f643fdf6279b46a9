import Crypto
import Synchronization

/// Predictions saved by `mlgate snapshot`, answered again for the data they were taken on: the
/// model in production as it answered then, without calling it.
///
/// The file is JSON Lines: a header `{"mlgate_snapshot": 1, "data": …, "rows": N, …}`, then one
/// line per data row in file order, `{"row": KEY, "prediction": …, "probabilities": […]}`, where
/// KEY is a digest of the row's feature values. Batches must come in file order (one at a time);
/// each row's key must match the saved one, so a snapshot for other data — or a row a check made
/// up — is refused with a clear error, never answered with another row's prediction.
package final class SnapshotModel: Model {
  private let path: String
  package let displayName: String
  private let state = Mutex<State>(State())

  private struct Entry {
    var key: String
    var prediction: DataValue
    var probabilities: [Double]?
  }

  private struct State {
    var loaded: Result<(entries: [Entry], classes: [String]?, data: String), ModelError>?
    var cursor = 0
  }

  /// The largest snapshot read.
  static let maxLineBytes = 1 << 20

  /// A snapshot at `path`, named `displayName` in messages.
  package init(path: String, displayName: String) {
    self.path = path
    self.displayName = "snapshot " + displayName
  }

  /// One batch at a time, so batches arrive in file order.
  package var maxConcurrency: Int { 1 }

  package func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
    try state.withLock { state throws(ModelError) -> Predictions in
      if state.loaded == nil { state.loaded = load() }
      guard case .success(let snapshot) = state.loaded else {
        if case .failure(let error) = state.loaded { throw error }
        throw ModelError(.infrastructure, "\(displayName) could not be read")
      }
      var values: [DataValue] = []
      var probabilities: [[Double]] = []
      for (offset, row) in batch.rows.enumerated() {
        let index = state.cursor + offset
        guard index < snapshot.entries.count else {
          throw ModelError(
            .infrastructure,
            "\(displayName) holds \(snapshot.entries.count) rows of \(snapshot.data); this data has more: take a new snapshot"
          )
        }
        let entry = snapshot.entries[index]
        guard entry.key == SnapshotModel.key(names: batch.featureNames, row: row) else {
          throw ModelError(
            .infrastructure,
            "\(displayName) answers only the rows of \(snapshot.data) it was taken on, in order: row \(index + 1) differs (other data, or rows a check made): take a new snapshot or use the model itself"
          )
        }
        values.append(entry.prediction)
        if let p = entry.probabilities { probabilities.append(p) }
      }
      state.cursor += batch.rows.count
      return Predictions(
        values: values,
        probabilities: probabilities.count == values.count && !values.isEmpty
          ? probabilities : nil, classes: snapshot.classes)
    }
  }

  package func shutdown() async {}

  /// A digest of a row's feature names and values: what ties a saved prediction to its row.
  package static func key(names: [String], row: [DataValue]) -> String {
    var text = ""
    for (name, value) in zip(names, row) {
      text += name + "\u{1F}"
      switch value {
      case .number(let number): text += "n" + String(number.bitPattern, radix: 16)
      case .string(let string): text += "s" + string
      case .missing: text += "m"
      }
      text += "\u{1E}"
    }
    return SHA256.hash(data: Array(text.utf8)).prefix(12).map { String(format: "%02x", $0) }
      .joined()
  }

  private func load() -> Result<(entries: [Entry], classes: [String]?, data: String), ModelError> {
    do throws(DataError) {
      let reader = try JSONLinesReader(
        path: path, displayName: displayName, maxLineBytes: SnapshotModel.maxLineBytes)
      guard let header = try reader.nextObject(),
        let version = header.members.first(where: { $0.key == "mlgate_snapshot" })?.value,
        version == .number(1)
      else {
        return .failure(
          ModelError(
            .infrastructure,
            "\(displayName) is not an mlgate snapshot (no 'mlgate_snapshot: 1' header)"))
      }
      let fields = Dictionary(
        header.members.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
      let classes = fields["classes"]?.arrayValue?.compactMap(\.stringValue)
      let data = fields["data"]?.stringValue ?? "its data"
      var entries: [Entry] = []
      while let line = try reader.nextObject() {
        let row = Dictionary(
          line.members.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let key = row["row"]?.stringValue, let prediction = row["prediction"] else {
          throw DataError(
            file: displayName, line: line.line, message: "expected {\"row\", \"prediction\"}")
        }
        let value: DataValue
        switch prediction {
        case .number(let number): value = .number(number)
        case .string(let text): value = .string(text)
        default: value = .missing
        }
        let probabilities = row["probabilities"]?.arrayValue?.compactMap(\.numberValue)
        entries.append(Entry(key: key, prediction: value, probabilities: probabilities))
      }
      return .success((entries, classes?.isEmpty == false ? classes : nil, data))
    } catch {
      return .failure(ModelError(.infrastructure, "\(displayName) cannot be read: \(error)"))
    }
  }
}

/// Wraps a model and keeps, in order, each row's key and answer: what `mlgate snapshot` saves.
package final class SnapshotRecorder: Model {
  private let base: any Model
  private let rows = Mutex<[(key: String, prediction: DataValue, probabilities: [Double]?)]>([])
  private let classes = Mutex<[String]?>(nil)

  /// Records `base`'s answers.
  package init(base: any Model) { self.base = base }

  package var displayName: String { base.displayName }
  /// One batch at a time: rows are recorded in file order.
  package var maxConcurrency: Int { 1 }

  package func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions {
    let answer = try await base.predict(batch)
    let keys = batch.rows.map { SnapshotModel.key(names: batch.featureNames, row: $0) }
    rows.withLock { rows in
      for (index, key) in keys.enumerated() {
        rows.append((key, answer.values[index], answer.probabilities?[index]))
      }
    }
    if let answered = answer.classes { classes.withLock { $0 = answered } }
    return answer
  }

  package func shutdown() async { await base.shutdown() }

  package func reportProperties() async -> [(name: String, value: String)] {
    await base.reportProperties()
  }

  /// The snapshot file: a header naming the data, then one line per row.
  package func snapshot(data: DataConfig.File, digest: String, task: TaskKind) -> [UInt8] {
    var writer = JSONWriter(capacity: 1 << 16)
    let recorded = rows.withLock { $0 }
    writer.raw("{\"mlgate_snapshot\":1,\"data\":")
    writer.string(data.displayName)
    writer.raw(",\"data_digest\":")
    writer.string(digest)
    writer.raw(",\"rows\":")
    writer.number(Double(recorded.count))
    writer.raw(",\"task\":")
    writer.string(task.rawValue)
    writer.raw(",\"model\":")
    writer.string(base.displayName)
    if let classes = classes.withLock({ $0 }) {
      writer.raw(",\"classes\":")
      writer.value(.array(classes.map(JSONValue.string)))
    }
    writer.raw("}\n")
    for row in recorded {
      writer.raw("{\"row\":")
      writer.string(row.key)
      writer.raw(",\"prediction\":")
      writer.value(row.prediction.json)
      if let probabilities = row.probabilities {
        writer.raw(",\"probabilities\":")
        writer.value(.array(probabilities.map(JSONValue.number)))
      }
      writer.raw("}\n")
    }
    return writer.bytes
  }
}
