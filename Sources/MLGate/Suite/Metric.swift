/// A quality metric, named as IBM OpenScale names it where OpenScale has it.
package enum Metric: String, Sendable, CaseIterable {
  case accuracy
  case balancedAccuracy = "balanced_accuracy"
  case precision
  case recall
  case f1Measure = "f1_measure"
  case falsePositiveRate = "false_positive_rate"
  case areaUnderROC = "area_under_roc"
  case areaUnderPR = "area_under_pr"
  case logLoss = "log_loss"
  case brierScore = "brier_score"
  case matthewsCorrelation = "matthews_correlation"
  case weightedPrecision = "weighted_precision"
  case weightedRecall = "weighted_recall"
  case weightedFMeasure = "weighted_f_measure"
  case weightedFalsePositiveRate = "weighted_false_positive_rate"
  case macroPrecision = "macro_precision"
  case macroRecall = "macro_recall"
  case macroF1 = "macro_f1"
  case meanAbsoluteError = "mean_absolute_error"
  case meanSquaredError = "mean_squared_error"
  case rootMeanSquaredError = "root_mean_squared_error"
  case r2
  case meanAbsolutePercentageError = "mean_absolute_percentage_error"
  case explainedVariance = "explained_variance"

  /// Other names users write for the same metric (OpenScale, scikit-learn, common short forms).
  static let aliases: [String: Metric] = [
    "auc": .areaUnderROC, "roc_auc": .areaUnderROC, "auc_roc": .areaUnderROC,
    "pr_auc": .areaUnderPR, "average_precision": .areaUnderPR, "auc_pr": .areaUnderPR,
    "true_positive_rate": .recall, "tpr": .recall, "sensitivity": .recall,
    "fpr": .falsePositiveRate, "f1": .f1Measure, "f1_score": .f1Measure,
    "mcc": .matthewsCorrelation, "brier": .brierScore, "brier_score_loss": .brierScore,
    "weighted_true_positive_rate": .weightedRecall, "weighted_f1": .weightedFMeasure,
    "mae": .meanAbsoluteError, "mse": .meanSquaredError, "rmse": .rootMeanSquaredError,
    "r2_score": .r2, "mape": .meanAbsolutePercentageError,
    "explained_variance_score": .explainedVariance, "cross_entropy": .logLoss,
  ]

  /// Looks a metric up by name or alias, ignoring case.
  package static func named(_ name: String) -> Metric? {
    let key = name.lowercased()
    return Metric(rawValue: key) ?? aliases[key]
  }

  /// Every name accepted, for suggestions.
  static var allNames: [String] { allCases.map(\.rawValue) + aliases.keys.sorted() }

  /// The direction a bare-number threshold takes: lower limit for scores, upper for losses.
  package var naturalDirection: Direction {
    switch self {
    case .falsePositiveRate, .logLoss, .brierScore, .weightedFalsePositiveRate, .meanAbsoluteError,
      .meanSquaredError, .rootMeanSquaredError, .meanAbsolutePercentageError:
      return .upper
    default:
      return .lower
    }
  }

  /// The values the metric can take: a bound outside them always passes or never can.
  package var range: ClosedRange<Double> {
    switch self {
    case .matthewsCorrelation: return -1...1
    case .logLoss, .meanAbsoluteError, .meanSquaredError, .rootMeanSquaredError,
      .meanAbsolutePercentageError:
      return 0...Double.infinity
    case .r2, .explainedVariance: return -Double.infinity...1
    default: return 0...1
    }
  }

  /// Whether the metric needs class probabilities (not just labels).
  package var needsProbabilities: Bool {
    [.areaUnderROC, .areaUnderPR, .logLoss, .brierScore].contains(self)
  }

  /// Whether the metric applies to a task.
  package func applies(to task: TaskKind) -> Bool {
    switch self {
    case .meanAbsoluteError, .meanSquaredError, .rootMeanSquaredError, .r2,
      .meanAbsolutePercentageError, .explainedVariance:
      return task == .regression
    case .precision, .recall, .f1Measure, .falsePositiveRate, .areaUnderROC, .areaUnderPR,
      .brierScore:
      return task == .binaryClassification
    default:
      return task.isClassification
    }
  }
}
