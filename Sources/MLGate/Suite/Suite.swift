/// A loaded, validated suite file: what to test, against what, with which limits.
public struct Suite: Sendable {
  /// The suite's name: the JUnit package of every check.
  public var name: String
  /// The seed of every random choice.
  public var seed: UInt64
  /// What the model predicts.
  public var task: TaskKind
  /// The label column in the data.
  public var label: String
  /// The positive class of a binary task.
  public var positive: String?
  /// The data files.
  public var data: DataConfig
  /// The model under test.
  public var model: ModelConfig
  /// The checks to run.
  public var tests: TestsConfig
  /// The suite file as given.
  public var file: String
  /// The SHA-256 of the suite file's bytes, `sha256:…`.
  public var digest: String
  /// Secret values found while expanding `${VAR}`: redacted from every output.
  public var secrets: SecretStore
}

/// What a model predicts.
public enum TaskKind: String, Sendable, CaseIterable {
  /// Two classes; one is the positive class.
  case binaryClassification = "binary-classification"
  /// Three or more classes.
  case multiclass
  /// A number.
  case regression

  /// Whether the task predicts classes.
  public var isClassification: Bool { self != .regression }
}

/// The data a suite reads.
public struct DataConfig: Sendable {
  /// A data file and the name the suite gave it.
  public struct File: Sendable {
    /// The absolute path.
    public var path: String
    /// The path as written in the suite, for messages.
    public var displayName: String
  }

  /// Labelled evaluation data.
  public var test: File?
  /// Reference (training) data.
  public var reference: File?
  /// Cell texts read as missing values.
  public var missingValues: Set<String>
  /// Columns never sent to the model.
  public var drop: [String]
}

/// How to reach the model under test.
public struct ModelConfig: Sendable {
  /// The kinds of model access.
  public enum Access: Sendable {
    /// A long-running process speaking JSON Lines (see ``CommandModel``).
    case command(argv: [String], environment: [String: String], workingDirectory: String)
    /// A deployed scoring endpoint over HTTP (see ``EndpointModel``).
    case endpoint(EndpointConfig)
  }

  /// How the model is reached.
  public var access: Access
  /// Rows per request.
  public var batch: Int
  /// Longest wait for one answer.
  public var timeout: Duration
  /// Longest wait for the first answer (start-up included).
  public var startTimeout: Duration
  /// The model artifact whose SHA-256 identifies what was tested.
  public var artifact: String?
  /// Class names in the order of the model's probabilities, when the model does not say.
  public var classes: [String]?
}

/// The checks of a suite, by category.
public struct TestsConfig: Sendable {
  /// Quality thresholds.
  public var quality: QualityConfig?
}

/// Quality thresholds on the test data.
public struct QualityConfig: Sendable {
  /// One gated metric.
  public struct Threshold: Sendable {
    /// The metric.
    public var metric: Metric
    /// The bound.
    public var value: Double
    /// Whether the bound is a lower or an upper limit.
    public var direction: Direction
    /// Where the threshold is written.
    public var position: SourcePosition
  }

  /// The gated metrics, in suite order.
  public var thresholds: [Threshold]
  /// Confidence level of the intervals (0.95).
  public var confidenceLevel: Double
  /// Bootstrap resamples (2000).
  public var resamples: Int
  /// Whether a verdict uses the point estimate (OpenScale) or the whole interval.
  public var decideOn: DecisionRule
  /// Fewer labelled rows than this make every quality check inconclusive.
  public var minRows: Int
}

/// A threshold's side.
public enum Direction: String, Sendable {
  /// The figure must be at least the bound.
  case lower
  /// The figure must be at most the bound.
  case upper
}

/// How a figure with a confidence interval becomes a verdict.
public enum DecisionRule: String, Sendable {
  /// Pass or fail on the point estimate; the interval is reported (IBM OpenScale's rule).
  case estimate
  /// Pass only when the whole interval meets the bound, fail only when it misses it entirely,
  /// otherwise inconclusive.
  case interval
}
