/// The attacks' only access to the model: batched queries under hard per-row and total
/// budgets (queries cost money on paid endpoints), with identical rows asked once.
final class QueryOracle {
  /// A model's answer to one candidate row.
  struct Answer {
    /// The predicted label.
    var label: String
    /// Class probabilities in ``QueryOracle/classes`` order, when the model gives them.
    var probabilities: [Double]?
  }

  let context: RunContext
  let names: [String]
  let what: String
  let perRow: Int
  let total: Int
  private(set) var classes: [String]?
  private(set) var used: [Int: Int] = [:]
  private(set) var usedTotal = 0
  private var memo: [[DataValue]: Answer] = [:]

  init(
    context: RunContext, names: [String], classes: [String]?, perRow: Int, total: Int,
    what: String
  ) {
    self.context = context
    self.names = names
    self.classes = classes
    self.perRow = perRow
    self.total = total
    self.what = what
  }

  /// The answers to `requests`, in order.
  ///
  /// Nil where the row's (or the attack's) budget is spent. A row asked before costs nothing; rows of one call go to the model together.
  func ask(_ requests: [(row: Int, values: [DataValue])]) async throws(ScoringError) -> [Answer?] {
    var pending: [[DataValue]] = []
    var queued = Set<[DataValue]>()
    var granted = [Bool](repeating: false, count: requests.count)
    for (index, request) in requests.enumerated() {
      if memo[request.values] != nil || queued.contains(request.values) {
        granted[index] = true
        continue
      }
      guard used[request.row, default: 0] < perRow, usedTotal < total else { continue }
      used[request.row, default: 0] += 1
      usedTotal += 1
      queued.insert(request.values)
      pending.append(request.values)
      granted[index] = true
    }
    if !pending.isEmpty {
      let predictions = try await context.predict(pending, featureNames: names, what: what)
      if let given = predictions.classes { classes = given }
      for (index, values) in pending.enumerated() {
        memo[values] = Answer(
          label: predictions.values[index].labelText ?? "(missing)",
          probabilities: predictions.probabilities?[index])
      }
    }
    return requests.indices.map { granted[$0] ? memo[requests[$0].values] : nil }
  }

  /// How far `answer` is from flipping away from `label`.
  ///
  /// The label's probability minus the largest other one (below 0: flipped); nil without
  /// probabilities.
  func margin(_ answer: Answer, trueLabel label: String) -> Double? {
    guard let probabilities = answer.probabilities, let classes,
      let own = classes.firstIndex(of: label), own < probabilities.count
    else { return nil }
    var other = -Double.infinity
    for (index, p) in probabilities.enumerated() where index != own { other = max(other, p) }
    return probabilities[own] - other
  }

  /// The queries row `row` has cost.
  func queries(of row: Int) -> Int { used[row, default: 0] }
}
