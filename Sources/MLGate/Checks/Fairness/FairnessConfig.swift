/// `tests: fairness:` — favourable outcomes across groups, as IBM OpenScale's fairness monitor
/// measures them.
package struct FairnessConfig: Sendable {
  /// The labels that are a favourable outcome (OpenScale's `favourable_classes`).
  package var favourable: [String]
  /// Fewer rows in a group make its figures inconclusive (OpenScale's `min_records`).
  package var minRecords = 100
  /// Point estimate (OpenScale) or whole interval.
  package var decideOn = DecisionRule.estimate
  /// The protected attributes, in suite order.
  package var attributes: [Attribute]

  /// One protected attribute and its bounds.
  package struct Attribute: Sendable {
    /// The column.
    package var name: String
    /// The monitored group.
    package var monitored: Group
    /// The reference group (nil: every row with a value outside the monitored group).
    package var reference: Group?
    /// The gated metrics with their bounds.
    package var bounds: [(metric: FairnessMetric, value: Double, direction: Direction)]
    /// Where the attribute is written.
    package var position: SourcePosition
  }

  /// Who is in a group: values of a categorical attribute, or ranges of a numeric one.
  package enum Group: Sendable, Equatable {
    case values([String])
    case ranges([ClosedRange<Double>])

    /// Whether a row's value is in the group.
    func contains(_ value: DataValue) -> Bool {
      switch self {
      case .values(let values): return value.labelText.map(values.contains) ?? false
      case .ranges(let ranges):
        guard case .number(let number) = value else { return false }
        return ranges.contains { $0.contains(number) }
      }
    }

    /// "female", "19–25".
    var description: String {
      switch self {
      case .values(let values): return values.joined(separator: ", ")
      case .ranges(let ranges):
        return ranges.map {
          "\(DataValue.labelText($0.lowerBound))–\(DataValue.labelText($0.upperBound))"
        }
        .joined(separator: ", ")
      }
    }
  }
}

/// OpenScale's fairness metrics.
package enum FairnessMetric: String, Sendable, CaseIterable, ConfigKey {
  /// P(favourable | monitored) / P(favourable | reference); lower limit 0.8.
  case disparateImpact = "disparate_impact"
  /// P(favourable | monitored) − P(favourable | reference).
  case statisticalParityDifference = "statistical_parity_difference"
  /// TPR(monitored) − TPR(reference), the favourable outcome as positive.
  case equalOpportunityDifference = "equal_opportunity_difference"
  /// ½[(FPR₁ − FPR₀) + (TPR₁ − TPR₀)].
  case averageOddsDifference = "average_odds_difference"

  /// "disparate impact".
  var words: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}
