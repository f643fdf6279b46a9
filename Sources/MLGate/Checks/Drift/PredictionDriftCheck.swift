/// The candidate's predictions have not drifted: its predictions on the current data are
/// distributed as on the reference data, judged as one more feature (PSI, and the test or the
/// distance), apart from the features' share and their Holm family.
struct PredictionDriftCheck: Check {
  let config: DriftConfig

  var category: CategoryName { .drift }
  var name: String { "no drift in the predictions" }

  func run(_ context: RunContext) async throws -> CheckReport {
    let (figures, subject) = try await DriftFigures.predictions(config, context)
    if let inconclusive = DriftFigures.tooFew(figures, config) { return inconclusive }
    guard let figure = figures.features.first else {
      throw ScoringError.harness("no drift figures for the predictions")
    }
    if let reason = figure.skipped {
      return CheckReport(outcome: .skipped(message: reason, inconclusive: true), summary: reason)
    }
    let verdict = DriftVerdict(figure, config)
    var lines = DriftVerdict.describe(figure, figures: figures, config: config)
    lines.insert(
      "compared: \(subject.description) on each row (not counted among the features)", at: 1)
    let summary = lines.joined(separator: "\n")
    return verdict.report(
      "the predictions drifted", centre: subject.centre, figure: figure, figures: figures,
      summary: summary)
  }
}

/// What of the predictions is compared.
enum PredictionSubject: Sendable, Equatable, CustomStringConvertible {
  /// The probability of the positive class.
  case score(positive: String)
  /// The predicted class.
  case predictedClass
  /// The predicted value.
  case value

  var description: String {
    switch self {
    case .score(let positive): return "the model's score for \(positive)"
    case .predictedClass: return "the model's predicted class"
    case .value: return "the model's predicted value"
    }
  }

  /// How the message names the centre of the distribution.
  var centre: String {
    switch self {
    case .score(let positive): return "median score for \(positive)"
    case .predictedClass: return "most common prediction"
    case .value: return "median prediction"
    }
  }
}

extension DriftFigures {
  /// The candidate's predictions on `config`'s reference and current data, compared as one
  /// feature named for what is compared.
  static func predictions(_ config: DriftConfig, _ context: RunContext) async throws(ScoringError)
    -> (DriftFigures, PredictionSubject)
  {
    let reference = try await predicted(config.reference, context)
    let current = try await predicted(config.current, context)
    let seed = context.suite.seed
    let result = await context.compute {
      () -> Result<(DriftFigures, PredictionSubject), ScoringError> in
      do throws(ScoringError) {
        return .success(try compare(reference, current, config: config, seed: seed))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  /// Both columns as profiles of one feature, and its figures.
  static func compare(
    _ reference: PredictedColumn, _ current: PredictedColumn, config: DriftConfig, seed: UInt64
  ) throws(ScoringError) -> (DriftFigures, PredictionSubject) {
    let subject: PredictionSubject
    // Lazily: the values are read, never copied as a column of their own.
    let old: AnySequence<DataValue>
    let new: AnySequence<DataValue>
    switch (reference.values, current.values) {
    case (.scores(let a, let positive), .scores(let b, let other)) where positive == other:
      subject = .score(positive: positive)
      (old, new) = (
        AnySequence(a.lazy.map(DataValue.number)), AnySequence(b.lazy.map(DataValue.number))
      )
    case (.values(let a), .values(let b)):
      subject = .value
      (old, new) = (
        AnySequence(a.lazy.map(DataValue.number)), AnySequence(b.lazy.map(DataValue.number))
      )
    case (.classes(let a, let names), .classes(let b, let otherNames)):
      subject = .predictedClass
      (old, new) = (
        AnySequence(a.lazy.map { .string(names[$0]) }),
        AnySequence(b.lazy.map { .string(otherNames[$0]) })
      )
    default:
      throw .model(
        ModelError(
          .infrastructure,
          "the model's answers differ in kind between \(reference.file.displayName) and \(current.file.displayName) (probabilities for one, not the other): their predictions cannot be compared"
        ))
    }
    let usesTests = config.usesTests(referenceRows: reference.rows)
    let first = FeatureProfile.of(
      old, sample: config.sample, edges: nil,
      random: SeededRandom(seed: seed, stream: "drift/predictions/reference"))
    let kind: Feature.Kind = subject == .predictedClass ? .categorical : .numeric
    let edges = kind == .numeric ? decileEdges(first.values) : []
    let binned = FeatureProfile.of(
      old, sample: 0, edges: edges, random: SeededRandom(seed: seed, stream: "drift/unused"))
    let now = FeatureProfile.of(
      new, sample: config.sample, edges: kind == .numeric ? edges : nil,
      random: SeededRandom(seed: seed, stream: "drift/predictions/current"))
    let figure = feature(
      subject.description, kind: kind, reference: first, referenceBins: binned.bins, current: now,
      edges: edges, usesTests: usesTests)
    let figures = DriftFigures(
      features: [figure], referenceRows: reference.rows, currentRows: current.rows,
      referenceName: reference.file.displayName, currentName: current.file.displayName,
      usesTests: usesTests)
    return (figures, subject)
  }

  /// The candidate's predictions on `source`: a role's labelled file through the run's shared
  /// scoring (quality checks score the test data once for all), any other file unlabelled.
  private static func predicted(_ source: DriftConfig.Source, _ context: RunContext)
    async throws(ScoringError) -> PredictedColumn
  {
    switch source {
    case .role(let role):
      let file = try await context.dataFile(role)
      if let label = context.suite.label, try hasColumn(label, file, context.suite.data) {
        return PredictedColumn(try await context.scored(role).evaluation, file: file)
      }
      return try await context.predicted(file)
    case .file(let path, let display):
      return try await context.predicted(DataConfig.File(path: path, displayName: display))
    }
  }

  private static func hasColumn(_ column: String, _ file: DataConfig.File, _ data: DataConfig)
    throws(ScoringError) -> Bool
  {
    do throws(DataError) {
      return try TableReader(
        path: file.path, displayName: file.displayName, missingValues: data.missingValues,
        maxLineBytes: data.maxLineBytes
      ).columns.contains(column)
    } catch {
      throw .data(error)
    }
  }
}
