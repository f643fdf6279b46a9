import Foundation

/// HopSkipJump (Chen, Jordan and Wainwright, 2020) for models that give labels only.
///
/// Works in spread units on the mutable numeric features (L2). Each row starts from the nearest
/// real row the model labels differently (its mutable numbers copied onto the row), walks to
/// the boundary by binary search, then repeats: estimate the boundary's normal from random
/// probes, step along it (geometric search), and search back towards the original row. Every
/// query is a projected row (integers whole, inside bounds), every phase runs all rows in one
/// batch, and the per-row budget ends a row's search early. A row is flipped when the closest
/// adversarial row found lies within ε (L∞).
struct HopSkipJump {
  let spec: AttackSpec
  let base: SampledRows
  let box: AttackBox
  let oracle: QueryOracle
  /// Mutable numeric features: the dimensions searched.
  let columns: [Int]

  /// Probes of the first gradient estimate (grows as √t), binary-search steps, geometric halvings.
  static let firstProbes = 20
  static let searchSteps = 12
  static let halvings = 8

  private struct State {
    var row: Int
    var label: String
    var origin: [Double]
    var boundary: [Double]
    var answer: QueryOracle.Answer?
    var alive = true
  }

  init(
    spec: AttackSpec, base: SampledRows, box: AttackBox, oracle: QueryOracle
  ) {
    self.spec = spec
    self.base = base
    self.box = box
    self.oracle = oracle
    columns = spec.mutable.filter { box.space.features[$0].isNumeric }
  }

  func run(
    rows: [Int], originals: [QueryOracle.Answer], predictions: Predictions,
    random: inout SeededRandom
  ) async throws(ScoringError) -> [AttackOutcome] {
    var outcomes = rows.enumerated().map { AttackOutcome(row: $1, original: originals[$0]) }
    var states = try await start(rows, predictions: predictions, random: &random)
    let dimensions = Double(max(columns.count, 1))
    let theta = 0.01 / dimensions.squareRoot()
    try await binarySearch(&states, theta: theta)
    for iteration in 1...max(spec.iterations, 1) {
      let alive = states.indices.filter { states[$0].alive }
      guard !alive.isEmpty else { break }
      // Gradient direction at the boundary from the signs of random probes.
      let probes = min(Int(Double(HopSkipJump.firstProbes) * Double(iteration).squareRoot()), 400)
      var requests: [(row: Int, values: [DataValue])] = []
      var directions: [[Double]] = []
      var owners: [Int] = []
      for index in alive {
        let distance = HopSkipJump.norm(states[index].boundary, states[index].origin)
        let delta = max(dimensions.squareRoot() * theta * distance, 1e-6)
        for _ in 0..<probes {
          let direction = HopSkipJump.unitGaussian(columns.count, &random)
          let point = zip(states[index].boundary, direction).map { $0 + delta * $1 }
          requests.append((states[index].row, candidate(states[index].row, point)))
          directions.append(direction)
          owners.append(index)
        }
      }
      let answers = try await oracle.ask(requests)
      var signs: [Int: [(Double, [Double])]] = [:]
      for (request, answer) in answers.enumerated() {
        let index = owners[request]
        guard let answer else {
          states[index].alive = false
          continue
        }
        signs[index, default: []].append(
          (answer.label != states[index].label ? 1 : -1, directions[request]))
      }
      // Geometric step along the estimated direction, halving until adversarial.
      var steps: [Int: (direction: [Double], size: Double)] = [:]
      for index in alive where states[index].alive {
        guard let probes = signs[index], !probes.isEmpty else { continue }
        let mean = probes.map(\.0).reduce(0, +) / Double(probes.count)
        var gradient = [Double](repeating: 0, count: columns.count)
        for (sign, direction) in probes {
          let weight = abs(mean) == 1 ? sign : sign - mean
          for axis in gradient.indices { gradient[axis] += weight * direction[axis] }
        }
        let length = HopSkipJump.norm(gradient, [Double](repeating: 0, count: gradient.count))
        guard length > 0 else { continue }
        let distance = HopSkipJump.norm(states[index].boundary, states[index].origin)
        steps[index] = (gradient.map { $0 / length }, distance / Double(iteration).squareRoot())
      }
      var walking = steps.keys.sorted().compactMap { index in
        steps[index].map { (index: index, direction: $0.direction, size: $0.size) }
      }
      for _ in 0..<HopSkipJump.halvings where !walking.isEmpty {
        let points = walking.map { step in
          zip(states[step.index].boundary, step.direction).map { $0 + step.size * $1 }
        }
        let answers = try await oracle.ask(
          walking.enumerated().map { position, step in
            (states[step.index].row, candidate(states[step.index].row, points[position]))
          })
        var still: [(index: Int, direction: [Double], size: Double)] = []
        for (position, step) in walking.enumerated() {
          guard let answer = answers[position] else {
            states[step.index].alive = false
            continue
          }
          if answer.label != states[step.index].label {
            states[step.index].boundary = points[position]
            states[step.index].answer = answer
          } else {
            still.append((step.index, step.direction, step.size / 2))
          }
        }
        walking = still
      }
      try await binarySearch(&states, theta: theta)
    }
    for (index, state) in states.enumerated() {
      guard let answer = state.answer else { continue }
      let values = candidate(state.row, state.boundary)
      let distance = box.distance(from: base.features[state.row], to: values)
      if distance.lInf <= spec.epsilon + 1e-12 {
        outcomes[index].adversarial = values
        outcomes[index].answer = answer
        (outcomes[index].lInf, outcomes[index].l0) = distance
      }
      outcomes[index].budgetSpent = !state.alive && oracle.queries(of: state.row) >= spec.maxQueries
    }
    return outcomes
  }

  /// Each row's start: of the five nearest sampled rows the model labels differently
  /// (spread-scaled L2 on the searched features, their numbers copied onto the row) and ten
  /// random points within the features' bounds, the nearest one the model labels differently.
  private func start(
    _ rows: [Int], predictions: Predictions, random: inout SeededRandom
  ) async throws(ScoringError) -> [State] {
    let points = base.features.map(coordinates)
    var states: [State] = []
    var requests: [(row: Int, values: [DataValue])] = []
    var targets: [[Double]] = []
    var owners: [Int] = []
    for row in rows {
      let label = base.labels[row].labelText ?? ""
      let origin = points[row]
      var nearest: [(Double, Int)] = []
      for other in base.features.indices where predictions.values[other].labelText != label {
        let distance = HopSkipJump.norm(points[other], origin)
        guard distance > 0 else { continue }
        nearest.append((distance, other))
        if nearest.count > 5 {
          nearest.sort { $0.0 < $1.0 }
          nearest.removeLast()
        }
      }
      var options = nearest.map { points[$0.1] }
      for _ in 0..<10 {
        options.append(
          columns.map { column in
            let feature = box.space.features[column]
            let spread = max(feature.spread ?? 1, 1e-9)
            let low = (feature.min ?? -3 * spread) / spread
            let high = (feature.max ?? 3 * spread) / spread
            return low + Double(random.next() >> 11) * 0x1p-53 * (high - low)
          })
      }
      for option in options {
        requests.append((row, candidate(row, option)))
        targets.append(option)
        owners.append(states.count)
      }
      states.append(State(row: row, label: label, origin: origin, boundary: origin, alive: false))
    }
    let answers = try await oracle.ask(requests)
    var best = [Double](repeating: .infinity, count: states.count)
    for (request, answer) in answers.enumerated() {
      let index = owners[request]
      guard let answer, answer.label != states[index].label else { continue }
      let distance = HopSkipJump.norm(targets[request], states[index].origin)
      if distance < best[index] {
        best[index] = distance
        states[index].boundary = targets[request]
        states[index].answer = answer
        states[index].alive = true
      }
    }
    return states
  }

  /// Moves each live row's boundary point to within `theta` (relative) of the boundary on the
  /// line towards its original row, staying on the adversarial side.
  private func binarySearch(_ states: inout [State], theta: Double) async throws(ScoringError) {
    var searching = states.indices.filter { states[$0].alive }.map {
      (index: $0, low: 0.0, high: 1.0)
    }
    func settle(_ index: Int, at high: Double) {
      states[index].boundary = zip(states[index].origin, states[index].boundary).map {
        $0 + high * ($1 - $0)
      }
    }
    for _ in 0..<HopSkipJump.searchSteps where !searching.isEmpty {
      let points = searching.map { item -> [Double] in
        let middle = (item.low + item.high) / 2
        return zip(states[item.index].origin, states[item.index].boundary).map {
          $0 + middle * ($1 - $0)
        }
      }
      let answers = try await oracle.ask(
        searching.enumerated().map { position, item in
          (states[item.index].row, candidate(states[item.index].row, points[position]))
        })
      var still: [(index: Int, low: Double, high: Double)] = []
      for (position, item) in searching.enumerated() {
        guard let answer = answers[position] else {
          states[item.index].alive = false
          settle(item.index, at: item.high)
          continue
        }
        var next = item
        let middle = (item.low + item.high) / 2
        if answer.label != states[item.index].label {
          next.high = middle
          states[item.index].answer = answer
        } else {
          next.low = middle
        }
        if next.high - next.low < theta {
          settle(item.index, at: next.high)
        } else {
          still.append(next)
        }
      }
      searching = still
    }
    for item in searching { settle(item.index, at: item.high) }
  }

  /// The row's searched features in spread units.
  private func coordinates(_ row: [DataValue]) -> [Double] {
    columns.map { column in
      guard case .number(let value) = row[column] else { return 0 }
      return value / max(box.space.features[column].spread ?? 1, 1e-9)
    }
  }

  /// Row `row` with its searched features set from `point` (spread units), projected.
  private func candidate(_ row: Int, _ point: [Double]) -> [DataValue] {
    var values = base.features[row]
    for (axis, column) in columns.enumerated() {
      guard case .number(let original) = values[column] else { continue }
      let feature = box.space.features[column]
      let target = point[axis] * max(feature.spread ?? 1, 1e-9)
      values[column] = .number(feature.project(target, from: original))
    }
    return values
  }

  static func norm(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
  }

  /// A random direction, uniform on the unit sphere (Box–Muller normals, normalised).
  static func unitGaussian(_ count: Int, _ random: inout SeededRandom) -> [Double] {
    var values: [Double] = []
    while values.count < count {
      let u1 = max(Double(random.next() >> 11) * 0x1p-53, 1e-300)
      let u2 = Double(random.next() >> 11) * 0x1p-53
      let radius = (-2 * log(u1)).squareRoot()
      values.append(radius * cos(2 * .pi * u2))
      values.append(radius * sin(2 * .pi * u2))
    }
    values.removeLast(values.count - count)
    let length = norm(values, [Double](repeating: 0, count: count))
    return length > 0 ? values.map { $0 / length } : values
  }
}
