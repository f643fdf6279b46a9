/// The categories a suite may use: the one list that registers them.
package struct CategoryRegistry: Sendable {
  /// The registered categories, in the order their sections are documented.
  package var categories: [any CheckCategory]
  /// Categories of the design not built yet: a suite naming one gets "not supported yet"
  /// rather than "unknown key".
  package var planned: [CategoryName]

  /// Creates a registry.
  package init(categories: [any CheckCategory], planned: [CategoryName] = []) {
    self.categories = categories
    self.planned = planned
  }

  /// The categories of this version of mlgate.
  package static let standard = CategoryRegistry(
    categories: [
      QualityCategory(),
      SchemaCategory(),
      BehaviouralCategory(),
      AdversarialCategory(),
      ConvergenceCategory(),
      IntegrationCategory(),
      DriftCategory(),
      FairnessCategory(),
      RegressionCategory(),
    ])

  /// The registry with `category` added (how a test adds a throw-away category).
  package func adding(_ category: any CheckCategory) -> CategoryRegistry {
    var copy = self
    copy.planned.removeAll { $0 == category.name }
    copy.categories.append(category)
    return copy
  }

  /// The category registered under `name`.
  package func category(named name: String) -> (any CheckCategory)? {
    categories.first { $0.name.rawValue == name }
  }
}
