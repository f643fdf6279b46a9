/// Reads `tests.drift`.
///
/// ```yaml
/// drift:
///   reference: reference          # a data role (test, reference) or a file
///   current: payloads.jsonl       # default: test
///   psi: { warn: 0.1, fail: 0.25 }
///   prediction: true              # default: true when the suite has a model to ask
/// ```
struct DriftConfigParser {
  let outline: SuiteOutline

  func parse(_ node: ConfigNode) throws(SuiteError) -> DriftConfig {
    var config = DriftConfig(features: [], position: node.position)
    var features: [String]?
    var referenceNode = node
    var predictionNode: ConfigNode?
    if !node.isNull {
      for entry in try node.entries(DriftKey.self, what: "'drift'") {
        let value = entry.value
        switch entry.key {
        case .reference:
          config.reference = try source(value)
          referenceNode = value
        case .current: config.current = try source(value)
        case .features: features = try value.stringList()
        case .psi:
          if value.isMapping {
            for item in try value.entries(PSIKey.self, what: "'psi'") {
              let bound = try item.value.double()
              guard bound > 0 else { throw item.value.error("a PSI bound must be above 0") }
              switch item.key {
              case .warn: config.psiWarn = bound
              case .fail: config.psiFail = bound
              }
            }
          } else {
            // OpenScale's forms: [0.25, upper] or a bare number, the failing bound.
            let form = try ThresholdForm.read(value, what: "'psi'")
            guard form.direction != .lower else {
              throw value.error("PSI is bounded from above: [0.25, upper]")
            }
            config.psiFail = form.value
          }
          guard config.psiWarn <= config.psiFail else {
            throw value.error("the PSI warning bound must not exceed the failing one")
          }
        case .method: config.method = try value.choice(DriftConfig.Method.self)
        case .alpha:
          config.alpha = try value.double()
          guard config.alpha > 0, config.alpha < 0.5 else {
            throw value.error("'alpha' must be between 0 and 0.5, e.g. 0.05")
          }
        case .distanceThreshold:
          config.distanceThreshold = try value.double()
          guard config.distanceThreshold > 0 else {
            throw value.error("'distance_threshold' must be above 0")
          }
        case .maxDriftedShare:
          config.maxDriftedShare = try value.double()
          guard config.maxDriftedShare > 0, config.maxDriftedShare <= 1 else {
            throw value.error("'max_drifted_share' is a share above 0 and at most 1, e.g. 0.5")
          }
        case .minRows: config.minRows = try value.int(in: 1...Int.max)
        case .sample: config.sample = try value.int(in: 100...10_000_000)
        case .prediction: predictionNode = value
        }
      }
    }
    config.prediction = try prediction(predictionNode)
    let file = try resolve(config.reference, at: referenceNode)
    if case .role = config.current { _ = try resolve(config.current, at: node) }
    // The features: the reference's columns but the label and the dropped ones, read from its
    // header (nothing else is read when the suite loads).
    let columns: [String]
    do {
      columns = try TableReader(
        path: file.path, displayName: file.displayName, missingValues: outline.data.missingValues,
        maxLineBytes: outline.data.maxLineBytes
      ).columns
    } catch {
      throw referenceNode.error("cannot read the reference data's header: \(error)")
    }
    let available = columns.filter { $0 != outline.label && !outline.data.drop.contains($0) }
    if let features {
      for feature in features where !available.contains(feature) {
        var message = "'\(feature)' is not a feature of \(file.displayName)"
        if let close = TextFormat.suggestion(for: feature, in: available) {
          message += " — did you mean '\(close)'?"
        }
        throw node.error(message)
      }
      config.features = features
    } else {
      config.features = available
    }
    guard !config.features.isEmpty else { throw node.error("'drift' has no feature to compare") }
    return config
  }

  /// Whether the predictions are compared: as written, else whenever the suite has a candidate
  /// that can score any file (a snapshot answers only for the rows it was taken on).
  private func prediction(_ node: ConfigNode?) throws(SuiteError) -> Bool {
    let model = outline.models[.candidate]
    var canScore = outline.roles.contains(.candidate)
    if case .snapshot? = model?.access { canScore = false }
    guard let node else { return canScore }
    guard try node.bool() else { return false }
    guard outline.roles.contains(.candidate) else {
      throw node.error(
        "'prediction: true' compares the model's predictions, but the suite has no model: add 'model:' or remove 'prediction'"
      )
    }
    guard canScore else {
      throw node.error(
        "'prediction: true' needs a model that scores any file; a snapshot answers only for the data it was taken on"
      )
    }
    return true
  }

  private func source(_ node: ConfigNode) throws(SuiteError) -> DriftConfig.Source {
    let text = try node.nonEmptyString()
    if let role = DataRole(rawValue: text) { return .role(role) }
    return .file(path: try node.filePath(), display: text)
  }

  private func resolve(_ source: DriftConfig.Source, at node: ConfigNode) throws(SuiteError)
    -> DataConfig.File
  {
    switch source {
    case .file(let path, let display): return DataConfig.File(path: path, displayName: display)
    case .role(let role):
      guard let file = outline.data.file(role) else {
        throw node.error(
          "'drift' compares \(role.rawValue) data, but the suite has none: add 'data: { \(role.rawValue): … }' or name a file"
        )
      }
      return file
    }
  }
}

/// The keys of `drift`.
private enum DriftKey: String, ConfigKey {
  case reference, current, features, psi, method, alpha
  case distanceThreshold = "distance_threshold"
  case maxDriftedShare = "max_drifted_share"
  case minRows = "min_rows"
  case sample, prediction
}

/// The keys of `psi`.
private enum PSIKey: String, ConfigKey {
  case warn, fail
}
