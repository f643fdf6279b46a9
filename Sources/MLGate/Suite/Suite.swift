/// A loaded, validated suite file: what to test, against what, with which limits.
package struct Suite: Sendable {
  /// The suite's name: the JUnit package of every check.
  package var name: String
  /// The seed of every random choice.
  package var seed: UInt64
  /// What the model predicts (required by every category that uses a model).
  package var task: TaskKind?
  /// The label column in the data (required by every category that needs labels).
  package var label: String?
  /// The positive class of a binary task.
  package var positive: String?
  /// The data files.
  package var data: DataConfig
  /// The models by role: the candidate (`model:`) and the one in production (`baseline:`).
  package var models: [ModelRole: ModelConfig]
  /// The checks to run.
  package var tests: TestsConfig
  /// The suite file as given.
  package var file: String
  /// The SHA-256 of the suite file's bytes, `sha256:…`.
  package var digest: String
  /// Secret values found while expanding `${VAR}`: redacted from every output.
  package var secrets: SecretStore

  /// The model under test (`model:`), if the suite has one.
  package var model: ModelConfig? { models[.candidate] }
}

/// What a model predicts.
package enum TaskKind: String, Sendable, CaseIterable {
  /// Two classes; one is the positive class.
  case binaryClassification = "binary-classification"
  /// Three or more classes.
  case multiclass
  /// A number.
  case regression

  /// Whether the task predicts classes.
  package var isClassification: Bool { self != .regression }
}

/// The data a suite reads.
package struct DataConfig: Sendable {
  /// A data file and the name the suite gave it.
  package struct File: Sendable, Equatable {
    /// The absolute path.
    package var path: String
    /// The path as written in the suite, for messages.
    package var displayName: String
  }

  /// Labelled evaluation data.
  package var test: File?
  /// Reference (training) data.
  package var reference: File?

  /// The file of `role`, if the suite names one.
  package func file(_ role: DataRole) -> File? {
    switch role {
    case .test: return test
    case .reference: return reference
    }
  }
  /// Cell texts read as missing values.
  package var missingValues: Set<String>
  /// Columns never sent to the model.
  package var drop: [String]
  /// The longest line (record) a data file may have.
  package var maxLineBytes: Int = DataConfig.defaultMaxLineBytes

  /// 16 MiB: far beyond any real record, far below what would exhaust memory.
  package static let defaultMaxLineBytes = 16 << 20
  /// The cell texts read as missing unless a suite says otherwise (pandas' common markers).
  package static let defaultMissingValues: [String] = ["", "NA", "N/A", "NaN", "nan", "null"]
}

/// How to reach the model under test.
package struct ModelConfig: Sendable {
  /// The kinds of model access.
  package enum Access: Sendable {
    /// A long-running process speaking JSON Lines (see ``CommandModel``).
    case command(argv: [String], environment: [String: String], workingDirectory: String)
    /// A deployed scoring endpoint over HTTP (see ``EndpointModel``).
    case endpoint(EndpointConfig)
    /// Predictions saved by `mlgate snapshot` for the data they were taken on (see
    /// ``SnapshotModel``).
    case snapshot(path: String, display: String)
  }

  /// How the model is reached.
  package var access: Access
  /// Rows per request.
  package var batch: Int
  /// Longest wait for one answer.
  package var timeout: Duration
  /// Longest wait for the first answer (start-up included).
  package var startTimeout: Duration
  /// The model artifact whose SHA-256 identifies what was tested.
  package var artifact: String?
  /// Class names in the order of the model's probabilities, when the model does not say.
  package var classes: [String]?
  /// The longest answer line a command model may write.
  package var maxAnswerBytes: Int = ModelConfig.defaultMaxAnswerBytes

  /// 64 MiB: an answer for thousands of rows with probabilities fits many times over.
  package static let defaultMaxAnswerBytes = 64 << 20
}

/// A threshold's side.
package enum Direction: String, Sendable {
  /// The figure must be at least the bound.
  case lower
  /// The figure must be at most the bound.
  case upper
}

/// How a figure with a confidence interval becomes a verdict (see ``Verdict``).
package enum DecisionRule: String, Sendable {
  /// Pass or fail on the point estimate; the interval is reported (IBM OpenScale's rule).
  case estimate
  /// Pass only when the whole interval meets the bound, fail only when it misses it entirely,
  /// otherwise inconclusive.
  case interval
}
