/// How to reach a deployed scoring endpoint.
package struct EndpointConfig: Sendable {
  /// The wire formats mlgate speaks.
  package enum WireProtocol: String, Sendable, CaseIterable {
    /// IBM Watson Machine Learning / watsonx.ai online scoring (`input_data` fields and values).
    case wml
    /// Open Inference Protocol v2 (KServe, Seldon MLServer, Triton): one tensor per column.
    case v2
    /// KServe v1 / TensorFlow Serving: `instances` → `predictions`.
    case kserveV1 = "kserve-v1"
    /// MLflow's scoring server: `dataframe_split` → `predictions`.
    case mlflow
    /// Any JSON API, described by a ``JSONMapping`` (Azure ML, SageMaker, custom servers).
    case json
  }

  /// How the client authenticates.
  ///
  /// Secrets come from the environment or a file, never from the suite text.
  package enum Auth: Sendable {
    /// No credentials.
    case none
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
    /// A custom header carrying an API key.
    case header(name: String, value: String)
    /// HTTP basic authentication.
    case basic(username: String, password: String)
    /// IBM Cloud IAM: an API key exchanged for a bearer token at `url`, cached until shortly
    /// before it expires and refreshed once on a 401.
    case iam(apiKey: String, url: String)
  }

  /// Where rows go in a generic JSON request and where answers are found in the response.
  package struct JSONMapping: Sendable {
    /// The layouts of rows in a request.
    package enum Layout: String, Sendable {
      /// `[{"col": value, …}, …]`
      case records
      /// `[[value, …], …]` in feature order.
      case values
      /// `{"columns": […], "data": [[…], …]}` (pandas "split").
      case split
    }

    /// The request member that holds the rows (`data`, `instances`, `input_data`…).
    package var requestKey: String
    /// How the rows are laid out.
    package var layout: Layout
    /// Path to the labels or values in the response: keys and indices separated by `.` or `/`.
    package var predictions: String?
    /// Path to the class probabilities in the response.
    package var probabilities: String?
  }

  /// The scoring URL: where batches are POSTed.
  package var url: String
  /// The wire format.
  package var wireProtocol: WireProtocol
  /// Credentials.
  package var auth: Auth
  /// Certificate authority bundle, client certificate and key for mutual TLS.
  package var caBundle: String?
  /// A client certificate (PEM) for mutual TLS.
  package var clientCertificate: String?
  /// The client certificate's key (PEM).
  package var clientKey: String?
  /// Skip TLS verification (reported as a warning).
  package var insecure: Bool
  /// Whether redirects (301, 302, 307, 308) within the same scheme, host and port are followed.
  package var followRedirects = false
  /// A URL (or a path on the scoring URL's host) that must answer 2xx before scoring.
  package var health: String?
  /// Requests in flight at once.
  package var concurrency: Int
  /// Retries of one request on connection failures, 429 and 503.
  package var retries: Int
  /// Retries allowed in the whole run.
  package var retryBudget: Int
  /// v2: the outputs to request (default `predict_proba` for classifiers, `predict` otherwise).
  package var outputs: [String]?
  /// `json`: the mapping.
  package var mapping: JSONMapping?
  /// Extra request headers (not secret).
  package var headers: [String: String]
  /// The largest answer accepted, in bytes (default 16 MiB): a runaway response is an error,
  /// not an out-of-memory crash.
  package var maxResponseBytes: Int = 16 << 20
}
