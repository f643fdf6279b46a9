import Foundation

/// One slice of the test rows: every row (overall), or the rows meeting one or two conditions.
package struct Slice: Sendable, Equatable {
  /// A condition on one column.
  package enum Condition: Sendable, Equatable {
    /// The value, as a label, equals this text.
    case equals(String)
    /// A number in [low, high) — or [low, high] when `closed`.
    case range(low: Double, high: Double, closed: Bool)

    func holds(for value: DataValue) -> Bool {
      switch self {
      case .equals(let text): return value.labelText == text
      case .range(let low, let high, let closed):
        guard case .number(let number) = value else { return false }
        return number >= low && (number < high || (closed && number == high))
      }
    }
  }

  /// "overall", "Sex=female", "Age in [25, 40)", "Sex=female, Age in [25, 40)".
  package var name: String
  /// The conditions, each on its column (none: overall).
  package var conditions: [(column: String, condition: Condition)]

  package static func == (lhs: Slice, rhs: Slice) -> Bool { lhs.name == rhs.name }

  /// Every row.
  static let overall = Slice(name: "overall", conditions: [])

  /// Whether row `row` of `kept` is in the slice.
  func contains(_ row: Int, kept: [String: [DataValue]]) -> Bool {
    conditions.allSatisfy { condition in
      kept[condition.column].map { condition.condition.holds(for: $0[row]) } ?? false
    }
  }

  /// The slices of `config`'s slicings over the test data.
  ///
  /// Each value of a categorical column (sorted), each bin of a numeric one, and crosses in order.
  /// Reads the test file once.
  static func enumerate(_ config: RegressionConfig, file: DataConfig.File, data: DataConfig)
    throws(DataError) -> [Slice]
  {
    let table = try TableReader(
      path: file.path, displayName: file.displayName, missingValues: data.missingValues,
      maxLineBytes: data.maxLineBytes)
    let columns = config.columns
    var positions: [Int] = []
    for column in columns {
      guard let position = table.columns.firstIndex(of: column) else {
        var message = "the slice column is not in the test data"
        if let close = TextFormat.suggestion(for: column, in: table.columns) {
          message += " — did you mean '\(close)'?"
        }
        throw DataError(file: file.displayName, line: 1, field: column, message: message)
      }
      positions.append(position)
    }
    var values = [Set<String>](repeating: [], count: columns.count)
    var numbers = [[Double]](repeating: [], count: columns.count)
    while let row = try table.next() {
      for (index, position) in positions.enumerated() {
        let value = row.values[position]
        if case .number(let number) = value { numbers[index].append(number) }
        if let text = value.labelText, values[index].count <= 1_000 { values[index].insert(text) }
      }
    }
    func slices(_ part: Slicing.Part) throws(DataError) -> [Slice] {
      let index = columns.firstIndex(of: part.column) ?? 0
      switch part.cut {
      case .values:
        guard values[index].count <= 1_000 else {
          throw DataError(
            file: file.displayName, field: part.column,
            message: "more than 1000 distinct values: slice it with 'bins' or 'quantiles'")
        }
        return values[index].sorted().map {
          Slice(name: "\(part.column)=\($0)", conditions: [(part.column, .equals($0))])
        }
      case .edges(let edges):
        return bins(part.column, edges)
      case .quantiles(let count):
        let sorted = numbers[index].sorted()
        guard !sorted.isEmpty else {
          throw DataError(
            file: file.displayName, field: part.column, message: "no numbers to cut in quantiles")
        }
        var edges: [Double] = [sorted[0]]
        for k in 1..<count {
          let position = Double(sorted.count - 1) * (Double(k) / Double(count))
          let below = Int(position.rounded(.down))
          let above = min(below + 1, sorted.count - 1)
          let edge = sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
          if edge > edges[edges.count - 1] { edges.append(edge) }
        }
        if let last = sorted.last, last > edges[edges.count - 1] { edges.append(last) }
        return bins(part.column, edges)
      }
    }
    var result: [Slice] = []
    for slicing in config.slicings {
      let first = try slices(slicing.parts[0])
      if slicing.parts.count == 1 {
        result += first
        continue
      }
      let second = try slices(slicing.parts[1])
      for a in first {
        for b in second {
          result.append(
            Slice(name: "\(a.name), \(b.name)", conditions: a.conditions + b.conditions))
        }
      }
    }
    return result
  }

  private static func bins(_ column: String, _ edges: [Double]) -> [Slice] {
    (0..<(edges.count - 1)).map { index in
      let closed = index == edges.count - 2
      let low = TextFormat.compact(edges[index])
      let high = TextFormat.compact(edges[index + 1])
      return Slice(
        name: "\(column) in [\(low), \(high)\(closed ? "]" : ")")",
        conditions: [(column, .range(low: edges[index], high: edges[index + 1], closed: closed))])
    }
  }
}
