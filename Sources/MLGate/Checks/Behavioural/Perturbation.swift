/// A change applied to a row, CheckList-style: one step of a ``Perturbation``.
///
/// Columns are positions in the ``FeatureSpace``; every value a step writes keeps the column's
/// type, bounds and domain (checked when the suite is read, projected when the row is made).
package enum PerturbationStep: Sendable, Equatable {
  /// Set columns to fixed values.
  case set([Assignment])
  /// Exchange two values of a column, both ways (counterfactual: male ↔ female).
  case swap(column: Int, DataValue, DataValue)
  /// Every other value of a categorical column's domain: one variant per value.
  case eachValue(column: Int, values: [DataValue])
  /// Add a number (an integer column moves by its whole part).
  case shift(column: Int, by: Double)
  /// Multiply by a factor.
  case scale(column: Int, by: Double)
  /// Add uniform noise in [−size, size] times the unit, to each of the columns.
  case noise(columns: [Int], size: Double, unit: NoiseUnit)
  /// A text change in a free-text column.
  case text(column: Int, TextChange)

  /// A column and the value it is set to.
  package struct Assignment: Sendable, Equatable {
    /// The column's position.
    package var column: Int
    /// The value.
    package var value: DataValue
  }
}

/// What a noise size is measured in.
package enum NoiseUnit: String, Sendable, CaseIterable {
  /// The column's spread in the reference data (IQR / 1.349).
  case spread
  /// The column's own units.
  case absolute
  /// A share of the value itself.
  case relative
}

/// The text changes of CheckList's robustness tests.
package enum TextChange: String, Sendable, CaseIterable {
  /// Two neighbouring characters exchanged.
  case typo
  /// Upper case.
  case upper
  /// Lower case.
  case lower
  /// A space added next to an existing one (or at the end).
  case whitespace
  /// Trailing punctuation added, or removed when there is some.
  case punctuation
}

/// The steps of one test's perturbation, applied in order; each row gives one variant or more.
package struct Perturbation: Sendable, Equatable {
  /// The steps, in order.
  package var steps: [PerturbationStep]
  /// The most variants one row may give (steps that give several multiply).
  package static let maxVariants = 64

  /// Creates a perturbation.
  package init(steps: [PerturbationStep]) { self.steps = steps }

  /// The variants of `row` that differ from it, each inside the feature space.
  ///
  /// - Parameters:
  ///   - row: The original values, aligned with `space.features`.
  ///   - space: The features' constraints.
  ///   - random: The test's generator; draws are taken in row order, so runs repeat.
  /// - Returns: The distinct changed rows (none when the steps leave the row as it was).
  package func variants(of row: [DataValue], in space: FeatureSpace, random: inout SeededRandom)
    -> [[DataValue]]
  {
    var current = [row]
    for step in steps {
      var next: [[DataValue]] = []
      for variant in current {
        next.append(contentsOf: apply(step, to: variant, original: row, space: space, &random))
        if next.count >= Perturbation.maxVariants { break }
      }
      current = Array(next.prefix(Perturbation.maxVariants))
    }
    var seen = Set<[DataValue]>()
    return current.filter { $0 != row && seen.insert($0).inserted }
  }

  private func apply(
    _ step: PerturbationStep, to row: [DataValue], original: [DataValue], space: FeatureSpace,
    _ random: inout SeededRandom
  ) -> [[DataValue]] {
    var changed = row
    switch step {
    case .set(let assignments):
      for assignment in assignments { changed[assignment.column] = assignment.value }
    case .swap(let column, let first, let second):
      if row[column] == first {
        changed[column] = second
      } else if row[column] == second {
        changed[column] = first
      }
    case .eachValue(let column, let values):
      return values.filter { $0 != row[column] }.map { value in
        var variant = row
        variant[column] = value
        return variant
      }
    case .shift(let column, let amount):
      changed[column] = moved(row[column], feature: space.features[column]) { $0 + amount }
    case .scale(let column, let factor):
      changed[column] = moved(row[column], feature: space.features[column]) { $0 * factor }
    case .noise(let columns, let size, let unit):
      for column in columns {
        let feature = space.features[column]
        // One draw per cell, missing or not, so a row's draws never depend on another's values.
        let draw = Double(random.next() >> 11) * 0x1p-53 * 2 - 1
        changed[column] = moved(row[column], feature: feature) { value in
          let scale: Double
          switch unit {
          case .spread: scale = feature.spread ?? 0
          case .absolute: scale = 1
          case .relative: scale = abs(value)
          }
          return value + draw * size * scale
        }
      }
    case .text(let column, let change):
      if case .string(let text) = row[column] {
        changed[column] = .string(TextPerturbation.apply(change, to: text, random: &random))
      }
    }
    return [changed]
  }

  /// A number moved by `change` and projected onto the feature; other values stay.
  private func moved(
    _ value: DataValue, feature: FeatureSpec, _ change: (Double) -> Double
  ) -> DataValue {
    guard case .number(let number) = value else { return value }
    let result = change(number)
    guard result.isFinite else { return value }
    return .number(feature.project(result, from: number))
  }
}

/// The text changes, seeded.
enum TextPerturbation {
  static func apply(_ change: TextChange, to text: String, random: inout SeededRandom) -> String {
    var characters = Array(text)
    switch change {
    case .upper: return text.uppercased()
    case .lower: return text.lowercased()
    case .typo:
      guard characters.count >= 2 else { return text }
      let at = random.below(characters.count - 1)
      characters.swapAt(at, at + 1)
      return String(characters)
    case .whitespace:
      let spaces = characters.indices.filter { characters[$0] == " " }
      guard !spaces.isEmpty else { return text + " " }
      characters.insert(" ", at: spaces[random.below(spaces.count)])
      return String(characters)
    case .punctuation:
      if let last = characters.last, ".,!?;:".contains(last) {
        return String(characters.dropLast())
      }
      return text + "."
    }
  }
}
