/// A model under test: anything that turns a batch of rows into predictions.
///
/// Implementations: ``CommandModel`` (a subprocess speaking JSON Lines) and ``EndpointModel`` (a
/// deployed scoring endpoint over HTTP). A model is started lazily on the first prediction and
/// stopped by ``shutdown()``. `predict` may be called concurrently; each caller gets the answer
/// to its own batch.
package protocol Model: Sendable {
  /// How the model is reached, for reports (never with credentials).
  var displayName: String { get }

  /// Predicts one batch; the answer has exactly one prediction per row, in order.
  ///
  /// - Throws: ``ModelError`` when the model cannot be reached, misbehaves, or refuses the batch.
  func predict(_ batch: ModelInput) async throws(ModelError) -> Predictions

  /// Stops the model's process or connections; safe to call more than once.
  func shutdown() async

  /// Batches that may be in flight at once (1 for a process, `concurrency` for an endpoint).
  var maxConcurrency: Int { get }

  /// Facts for the report's properties: requests, retries, connections.
  func reportProperties() async -> [(name: String, value: String)]

  /// GETs `route` (a path on the model's host, or a URL) with the model's credentials and TLS
  /// settings: health and metadata routes. Only endpoints have routes.
  func probe(_ route: String, timeout: Duration) async throws(ModelError) -> ProbeAnswer
}

extension Model {
  package var maxConcurrency: Int { 1 }
  package func reportProperties() async -> [(name: String, value: String)] { [] }
  package func probe(_ route: String, timeout: Duration) async throws(ModelError) -> ProbeAnswer {
    throw ModelError(.infrastructure, "\(displayName) has no HTTP routes to probe")
  }
}

/// What a GET to a model's route answered.
package struct ProbeAnswer: Sendable {
  /// The URL asked (without credentials).
  package var url: String
  /// The HTTP status.
  package var status: Int
  /// The body (at most 1 MiB).
  package var body: [UInt8]
  /// The `Content-Type` header, if any.
  package var contentType: String?
}

/// Rows for a model: feature values aligned with the feature names.
package struct ModelInput: Sendable {
  /// Feature names, in column order.
  package var featureNames: [String]
  /// One array of values per row.
  package var rows: [[DataValue]]
  /// Whether NaN and infinities are sent as the tokens `NaN`, `Infinity`, `-Infinity` (which
  /// Python's JSON reader accepts) rather than `null`: only bad-input tests do.
  package var nonFiniteTokens = false

  /// Creates a batch.
  package init(featureNames: [String], rows: [[DataValue]], nonFiniteTokens: Bool = false) {
    self.featureNames = featureNames
    self.rows = rows
    self.nonFiniteTokens = nonFiniteTokens
  }
}

/// A model's answer for one batch.
package struct Predictions: Sendable, Equatable {
  /// One prediction per row: a class label (string or number) or a regression value.
  package var values: [DataValue]
  /// Class probabilities per row, in the order of ``classes``, when the model gives them.
  package var probabilities: [[Double]]?
  /// The class names in probability order.
  package var classes: [String]?

  /// Creates an answer.
  package init(values: [DataValue], probabilities: [[Double]]?, classes: [String]?) {
    self.values = values
    self.probabilities = probabilities
    self.classes = classes
  }
}

/// Why a model could not give predictions.
package struct ModelError: Error, Sendable, CustomStringConvertible {
  /// The kinds of failure, mapped to the JUnit `<error type>`.
  package enum Kind: String, Sendable {
    /// The model could not be started or reached, crashed, hung, or broke the protocol.
    case infrastructure
    /// The model answered with an error for this batch (it is still running).
    case model

    /// The check error this failure becomes.
    package var errorKind: ErrorKind {
      switch self {
      case .infrastructure: return .infrastructure
      case .model: return .model
      }
    }
  }

  /// The kind of failure.
  package var kind: Kind
  /// One line saying what happened.
  package var message: String
  /// Supporting text: the end of the model's stderr, the offending answer.
  package var detail: String
  /// The HTTP status of an endpoint's answer, when the failure is one.
  package var httpStatus: Int?

  /// Creates a model error.
  package init(_ kind: Kind, _ message: String, detail: String = "", httpStatus: Int? = nil) {
    self.kind = kind
    self.message = message
    self.detail = detail
    self.httpStatus = httpStatus
  }

  package var description: String { message }
}

extension JSONWriter {
  /// Appends a batch as an array of row objects keyed by feature name: `[{"col": value, …}, …]`.
  mutating func records(_ batch: ModelInput) {
    raw("[")
    for (position, row) in batch.rows.enumerated() {
      if position > 0 { raw(",") }
      raw("{")
      for (column, value) in row.enumerated() {
        if column > 0 { raw(",") }
        string(batch.featureNames[column])
        raw(":")
        self.value(value.json)
      }
      raw("}")
    }
    raw("]")
  }
}
