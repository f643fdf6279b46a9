/// `tests: integration:` — the training pipeline's steps, and the deployed endpoint.
package struct IntegrationConfig: Sendable {
  /// The pipeline's steps, run first and in order.
  package var pipeline: [PipelineStep] = []
  /// The endpoint checks.
  package var endpoint: EndpointIntegration?
}

/// One step of a training pipeline: a command and what it must leave behind.
package struct PipelineStep: Sendable {
  /// The step's name: the JUnit test case.
  package var name: String
  /// The command, run without a shell.
  package var argv: [String]
  /// Where it runs (absolute).
  package var workingDirectory: String
  /// Variables added to mlgate's environment.
  package var environment: [String: String]
  /// The longest it may run.
  package var timeout: Duration
  /// The exit code that means success.
  package var expectExit: Int32
  /// Files the step must create (non-empty), with the paths as written.
  package var artifacts: [(path: String, display: String)]
  /// The output parameters the step writes and what they must be.
  package var outputs: OutputParameters?
  /// Where the step is written.
  package var position: SourcePosition
}

/// A step's output parameters: a JSON object or `key=value` lines, and expectations on them.
package struct OutputParameters: Sendable {
  /// The file the step writes (absolute), and as written.
  package var path: String
  package var display: String
  /// The expectations, in suite order.
  package var expectations: [Expectation]

  /// What one parameter must be.
  package struct Expectation: Sendable {
    /// The parameter (a dotted path into a JSON object: `metrics.auc`).
    package var key: String
    /// What it must equal or bound.
    package var rule: Rule
    /// Where it is written.
    package var position: SourcePosition
  }

  /// How a parameter is judged.
  package enum Rule: Sendable, Equatable {
    /// Equal to this boolean.
    case bool(Bool)
    /// Equal to this number.
    case number(Double)
    /// Equal to this text.
    case text(String)
    /// A number at least / at most the bound (OpenScale's threshold forms).
    case bound(Double, Direction)
  }
}

/// The checks on a deployed endpoint (the suite's `model:` endpoint, or `url:` here).
package struct EndpointIntegration: Sendable {
  /// Readiness: the route polled, and how long to wait.
  package var readiness: (route: String?, deadline: Duration)
  /// Whether to compare the model metadata with the data's columns (v2 only).
  package var metadata: Bool
  /// The load test, if asked for.
  package var latency: LatencyBudget?
  /// Training–serving consistency, if asked for.
  package var consistency: Consistency?
  /// Where the section is written.
  package var position: SourcePosition
  /// The model's features (nil without test data: nothing to send).
  package var space: FeatureSpace?
  /// The endpoint under test.
  package var endpoint: EndpointConfig

  /// Latency and error-rate objectives under a stated load.
  package struct LatencyBudget: Sendable {
    /// Requests to send.
    package var requests: Int
    /// Requests in flight at once.
    package var concurrency: Int
    /// Rows per request.
    package var rows: Int
    /// Bounds on percentiles, in milliseconds: [(50, 100), (95, 250), (99, 500)].
    package var percentiles: [(percentile: Double, milliseconds: Double)]
    /// The largest share of failed requests.
    package var maxErrorRate: Double
    /// The longest the load may run in all.
    package var maxDuration: Duration
  }

  /// The endpoint's predictions against the artifact's (a command model over the same file).
  package struct Consistency: Sendable {
    /// The reference: the artifact served locally.
    package var reference: ModelConfig
    /// Rows compared (seeded sample of the test data).
    package var sample: Int
    /// The largest difference of a probability (or regression value) counted as equal.
    package var tolerance: Double
    /// The largest share of rows whose predicted label may differ.
    package var maxMismatchRate: Double
  }
}
