import Foundation

/// Reads `tests.convergence`: one history, or a list of them.
///
/// ```yaml
/// convergence:
///   - log: histories/keras.csv        # Keras/Lightning CSV, JSON Lines, Keras history JSON,
///     series: loss                     # XGBoost/LightGBM evals_result, MLflow run folder
///     validation: val_loss             # default: the usual partner if the file has it
///     min_relative_drop: 0.3
/// ```
struct ConvergenceConfigParser {
  func parse(_ node: ConfigNode) throws(SuiteError) -> ConvergenceConfig {
    let items = node.isSequence ? try node.sequence() : [node]
    guard !items.isEmpty else {
      throw node.error("'convergence' lists no history: add e.g. '- log: history.csv'")
    }
    var entries: [ConvergenceConfig.Entry] = []
    var names: [String: SourcePosition] = [:]
    for item in items {
      let entry = try self.entry(item)
      if let first = names[entry.name] {
        throw item.error("a convergence test named '\(entry.name)' is already defined at \(first)")
      }
      names[entry.name] = entry.position
      entries.append(entry)
    }
    return ConvergenceConfig(entries: entries)
  }

  private func entry(_ node: ConfigNode) throws(SuiteError) -> ConvergenceConfig.Entry {
    var name: String?
    var log: (path: String, display: String)?
    var format: HistoryFormat?
    var series = "loss"
    var validation = ConvergenceConfig.Validation.guess
    var axis: LossSeries.Axis?
    var criteria = ConvergenceCriteria()
    var plot = true
    for entry in try node.entries(ConvergenceKey.self, what: "a convergence test") {
      let value = entry.value
      switch entry.key {
      case .name: name = try value.nonEmptyString()
      case .log: log = (try value.filePath(), try value.nonEmptyString())
      case .format: format = try value.choice(HistoryFormat.self)
      case .series: series = try value.nonEmptyString()
      case .validation:
        let text = try value.nonEmptyString()
        validation = text == "none" ? .none : .named(text)
      case .x: axis = try value.choice(LossSeries.Axis.self)
      case .startFrom: criteria.startFrom = Double(try value.int(in: 0...Int(Int32.max)))
      case .minPoints: criteria.minPoints = try value.int(in: 2...1_000_000)
      case .minRelativeDrop: criteria.minRelativeDrop = try value.double(in: 0...1)
      case .maxFinalAboveBest: criteria.maxFinalAboveBest = try value.double(in: 0...100)
      case .spikeFactor:
        criteria.spikeFactor = try value.double()
        guard criteria.spikeFactor > 1 else {
          throw value.error("'spike_factor' must be above 1 (a value that many times the average)")
        }
      case .patience: criteria.patience = try value.int(in: 1...1_000_000)
      case .minDelta: criteria.minDelta = try value.double(in: 0...Double.greatestFiniteMagnitude)
      case .minDeltaRelative: criteria.minDeltaRelative = try value.double(in: 0...1)
      case .maxValidationRise: criteria.maxValidationRise = try value.double(in: 0...100)
      case .overfitting: criteria.overfitting = try value.choice(ConvergenceCriteria.Severity.self)
      case .maxGap: criteria.maxGap = try value.double(in: 0...100)
      case .alpha:
        criteria.alpha = try value.double()
        guard criteria.alpha > 0, criteria.alpha < 0.5 else {
          throw value.error("'alpha' must be between 0 and 0.5, e.g. 0.05")
        }
      case .plot: plot = try value.bool()
      }
    }
    guard let log else {
      throw node.error(
        "a convergence test needs 'log:' (a Keras/Lightning CSV, JSON Lines, Keras history or evals_result JSON, or an MLflow run folder)"
      )
    }
    return ConvergenceConfig.Entry(
      name: name ?? "\(series) converges in \(log.display)", log: log.path,
      logDisplay: log.display, format: format, series: series, validation: validation,
      axis: axis, criteria: criteria, plot: plot, position: node.position)
  }
}

/// The keys of one convergence test.
private enum ConvergenceKey: String, ConfigKey {
  case name, log, format, series, validation, x
  case startFrom = "start_from"
  case minPoints = "min_points"
  case minRelativeDrop = "min_relative_drop"
  case maxFinalAboveBest = "max_final_above_best"
  case spikeFactor = "spike_factor"
  case patience
  case minDelta = "min_delta"
  case minDeltaRelative = "min_delta_relative"
  case maxValidationRise = "max_validation_rise"
  case overfitting
  case maxGap = "max_gap"
  case alpha, plot
}
