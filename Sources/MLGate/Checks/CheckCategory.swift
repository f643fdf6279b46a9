/// A test category as a plug-in: the key under `tests:`, what it needs from the suite, how it
/// reads its section, and the checks it builds.
///
/// A category lives in one folder under `Checks/` and is registered by one line in
/// ``CategoryRegistry/standard``; nothing else in mlgate names it. See `Checks/README.md`.
package protocol CheckCategory: Sendable {
  /// The category's configuration, as its parser reads it.
  associatedtype Config: Sendable

  /// The key under `tests:` and the JUnit class of its checks.
  var name: CategoryName { get }
  /// What a suite must have for this category; the loader refuses a suite that lacks it,
  /// naming both, before the section is parsed.
  var requirements: Requirements { get }
  /// Reads the category's section of the suite; errors name file:line:column.
  func parse(_ node: ConfigNode, in outline: SuiteOutline) throws(SuiteError) -> Config
  /// The checks the configuration asks for, in suite order.
  func checks(for config: Config) -> [any Check]
  /// Adds what the section declares for the whole suite to `outline`, for the sections parsed
  /// after it (sections parse in registry order: the schema before those that perturb rows).
  func publish(_ config: Config, into outline: inout SuiteOutline)
}

extension CheckCategory {
  package func publish(_ config: Config, into outline: inout SuiteOutline) {}
}

/// A category's name: the key under `tests:` and the JUnit class.
///
/// A struct rather than an enum so that a category can be added by its own folder alone (and a
/// test can add one); the known names are its static members.
package struct CategoryName: RawRepresentable, Hashable, Sendable, Comparable,
  CustomStringConvertible, ExpressibleByStringLiteral
{
  package var rawValue: String

  package init(rawValue: String) { self.rawValue = rawValue }

  package init(stringLiteral value: String) { rawValue = value }

  package var description: String { rawValue }

  package static func < (lhs: CategoryName, rhs: CategoryName) -> Bool {
    lhs.rawValue < rhs.rawValue
  }

  /// Not a category: the pseudo-class of a run that could not start.
  package static let setup = CategoryName(rawValue: "setup")
}

/// What a category needs from the suite.
package struct Requirements: OptionSet, Sendable {
  package var rawValue: Int

  package init(rawValue: Int) { self.rawValue = rawValue }

  /// The model under test (`model:`).
  package static let model = Requirements(rawValue: 1 << 0)
  /// The model in production (`baseline:`).
  package static let baseline = Requirements(rawValue: 1 << 1)
  /// What the model predicts (`task:`).
  package static let task = Requirements(rawValue: 1 << 2)
  /// The label column (`label:`).
  package static let labels = Requirements(rawValue: 1 << 3)
  /// Labelled evaluation data (`data: { test: … }`).
  package static let testData = Requirements(rawValue: 1 << 4)
  /// Reference (training) data (`data: { reference: … }`).
  package static let referenceData = Requirements(rawValue: 1 << 5)

  /// Each requirement with what a suite adds to meet it.
  static let explained: [(Requirements, String)] = [
    (.model, "a model: add 'model:' with a 'command' or an 'endpoint'"),
    (.baseline, "a baseline model: add 'baseline:' (the same keys as 'model:')"),
    (.task, "a task: add 'task:' (binary-classification, multiclass or regression)"),
    (.labels, "a label column: add 'label:' naming the column"),
    (.testData, "labelled data: add 'data: { test: path/to/test.csv }'"),
    (.referenceData, "reference data: add 'data: { reference: path/to/train.csv }'"),
  ]
}

/// What a category's parser may know of the rest of the suite (read before `tests:`).
package struct SuiteOutline: Sendable {
  /// What the model predicts, when the suite says.
  package var task: TaskKind?
  /// The label column, when the suite names one.
  package var label: String?
  /// The positive class of a binary task.
  package var positive: String?
  /// The data files.
  package var data: DataConfig
  /// The model roles the suite configures.
  package var roles: Set<ModelRole>
  /// How each role's model is reached.
  package var models: [ModelRole: ModelConfig] = [:]
  /// The data schema, when a section declares one (`tests: schema: input:`).
  package var schema: DataSchema?
  /// Files a pipeline section's steps create (absolute paths): a model artifact among them need
  /// not exist when the suite loads.
  package var produced: Set<String> = []
  /// The feature space, loaded once for every section that asks.
  let featureCache = FeatureSpaceCache()

  /// Creates an outline.
  package init(
    task: TaskKind?, label: String?, positive: String?, data: DataConfig, roles: Set<ModelRole>,
    schema: DataSchema? = nil
  ) {
    self.task = task
    self.label = label
    self.positive = positive
    self.data = data
    self.roles = roles
    self.schema = schema
  }

  /// What each feature may hold (from the schema, else learned from the data), for the section
  /// at `node`: a data file that cannot be read is a suite error there.
  package func featureSpace(for node: ConfigNode) throws(SuiteError) -> FeatureSpace {
    do throws(DataError) {
      return try featureCache.get { () throws(DataError) in
        try FeatureSpace.load(data: data, label: label, schema: schema)
      }
    } catch {
      throw node.error("cannot learn the features from the data: \(error)")
    }
  }
}

/// One parsed `tests:` section: its category, configuration and checks, with the type erased so
/// that ``TestsConfig`` holds any category.
package struct CategorySection: Sendable {
  /// The category.
  package var name: CategoryName
  /// Where the section starts in the suite.
  package var position: SourcePosition
  /// The category's configuration (its `Config` type).
  package var config: any Sendable
  /// The checks the section asks for, in suite order.
  package var checks: [any Check]

  /// Parses `node` with `category`, opening its `Config` type, and lets the category publish
  /// into `outline`.
  static func parse<C: CheckCategory>(
    _ category: C, _ node: ConfigNode, key: ConfigNode, outline: inout SuiteOutline
  ) throws(SuiteError) -> CategorySection {
    let config = try category.parse(node, in: outline)
    category.publish(config, into: &outline)
    return CategorySection(
      name: category.name, position: key.position, config: config,
      checks: category.checks(for: config))
  }
}

/// The sections of `tests:`, in suite order.
package struct TestsConfig: Sendable {
  /// Every parsed section.
  package var sections: [CategorySection]

  /// The configuration of `category`, if the suite has its section.
  package func config<C: CheckCategory>(of category: C) -> C.Config? {
    sections.first { $0.name == category.name }.flatMap { $0.config as? C.Config }
  }

  /// Every check of every section, in suite order.
  package var checks: [any Check] { sections.flatMap(\.checks) }
}
