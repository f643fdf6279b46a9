/// Reads `tests.regression`.
///
/// ```yaml
/// regression:
///   metrics: [accuracy, area_under_roc, f1_measure]   # regression tasks: [mae, rmse]
///   slices: [Sex, { column: Age, bins: [19, 25, 40, 60, 75] }, { cross: [Sex, CheckingStatus] }]
///   max_drop: 0.01              # overall; max_slice_drop: 0.02 per slice
/// ```
struct RegressionConfigParser {
  let outline: SuiteOutline

  func parse(_ node: ConfigNode) throws(SuiteError) -> RegressionConfig {
    guard let task = outline.task, task == .binaryClassification || task == .regression else {
      throw node.error(
        "'regression' needs task binary-classification or regression (multiclass: not supported yet)"
      )
    }
    var config = RegressionConfig(position: node.position)
    if task == .regression {
      // Errors are in the label's units: margins default to shares of the baseline's error.
      config.metrics = [.meanAbsoluteError, .rootMeanSquaredError]
      config.relative = true
    }
    if node.isNull { return config }
    for entry in try node.entries(RegressionKey.self, what: "'regression'") {
      let value = entry.value
      switch entry.key {
      case .metrics:
        config.metrics = []
        for item in try value.sequence() {
          let name = try item.string()
          guard let metric = Metric.named(name), metric.applies(to: task) else {
            let names = Metric.allCases.filter { $0.applies(to: task) }.map(\.rawValue)
            var message = "'regression' cannot compare '\(name)' on a \(task.rawValue) task"
            if let close = TextFormat.suggestion(for: name, in: names) {
              message += " — did you mean '\(close)'?"
            } else {
              message += " (use one of: \(names.joined(separator: ", ")))"
            }
            throw item.error(message)
          }
          if !config.metrics.contains(metric) { config.metrics.append(metric) }
        }
        guard !config.metrics.isEmpty else { throw value.error("'metrics' names no metric") }
      case .resamples: config.resamples = try value.int(in: 100...100_000)
      case .slices:
        config.slicings = try value.sequence().map { (item) throws(SuiteError) in try slicing(item)
        }
      case .maxDrop: config.maxDrop = try value.double(in: 0...1)
      case .maxSliceDrop: config.maxSliceDrop = try value.double(in: 0...1)
      case .relative: config.relative = try value.bool()
      case .alpha:
        config.alpha = try value.double()
        guard config.alpha > 0, config.alpha < 0.5 else {
          throw value.error("'alpha' must be between 0 and 0.5, e.g. 0.05")
        }
      case .minSliceRows: config.minSliceRows = try value.int(in: 1...Int.max)
      case .minClassRows:
        guard task.isClassification else {
          throw value.error("'min_class_rows' applies to classification tasks")
        }
        config.minClassRows = try value.int(in: 1...Int.max)
      case .maxNegativeFlipRate:
        guard task.isClassification else {
          throw value.error("'max_negative_flip_rate' applies to classification tasks")
        }
        config.maxNegativeFlipRate = try value.double(in: 0...1)
      case .minDetectableDrop: config.minDetectableDrop = try value.double(in: 0...1)
      }
    }
    if !config.slicings.isEmpty, let file = outline.data.test {
      do {
        config.slices = try Slice.enumerate(config, file: file, data: outline.data)
      } catch {
        throw node.error("cannot cut the test data into slices: \(error)")
      }
    }
    return config
  }

  private func slicing(_ node: ConfigNode) throws(SuiteError) -> Slicing {
    if node.isMapping, let cross = try node.mapping().first(where: { $0.key == "cross" }) {
      guard try node.mapping().count == 1 else {
        throw node.error("a cross is { cross: [A, B] } alone")
      }
      let items = try cross.value.sequence()
      guard items.count == 2 else {
        throw cross.value.error("a cross combines exactly two slicings")
      }
      return Slicing(
        parts: try items.map { (item) throws(SuiteError) in try part(item) })
    }
    return Slicing(parts: [try part(node)])
  }

  private func part(_ node: ConfigNode) throws(SuiteError) -> Slicing.Part {
    if !node.isMapping { return Slicing.Part(column: try node.nonEmptyString(), cut: .values) }
    var column: String?
    var cut = Slicing.Cut.values
    for entry in try node.entries(SliceKey.self, what: "a slice") {
      switch entry.key {
      case .column: column = try entry.value.nonEmptyString()
      case .bins:
        let edges = try entry.value.sequence().map { (item) throws(SuiteError) in try item.double()
        }
        guard edges.count >= 2, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
          throw entry.value.error(
            "'bins' are at least two increasing edges, e.g. [19, 25, 40, 60, 75]")
        }
        cut = .edges(edges)
      case .quantiles: cut = .quantiles(try entry.value.int(in: 2...100))
      }
    }
    guard let column else { throw node.error("a slice needs 'column:'") }
    return Slicing.Part(column: column, cut: cut)
  }
}

/// The keys of `regression`.
private enum RegressionKey: String, ConfigKey {
  case metrics, slices, resamples
  case maxDrop = "max_drop"
  case maxSliceDrop = "max_slice_drop"
  case relative, alpha
  case minSliceRows = "min_slice_rows"
  case minClassRows = "min_class_rows"
  case maxNegativeFlipRate = "max_negative_flip_rate"
  case minDetectableDrop = "min_detectable_drop"
}

/// The keys of a slice written as a mapping.
private enum SliceKey: String, ConfigKey {
  case column, bins, quantiles
}
