import Foundation
import PropertyBased
import Testing

@testable import MLGate

/// Perturbations keep each column's type, bounds and domain; they are seeded; rows they leave
/// as they were give no variant.
@Suite struct PerturbationTests {
  static let space = FeatureSpace(
    features: [
      FeatureSpec(name: "Sex", type: .categorical, values: ["female", "male"]),
      FeatureSpec(name: "Age", type: .integer, min: 19, max: 74, spread: 11.1),
      FeatureSpec(name: "Amount", type: .number, min: 250, max: 11676, spread: 2000),
      FeatureSpec(name: "Housing", type: .categorical, values: ["free", "own", "rent"]),
      FeatureSpec(name: "Note", type: .string),
    ], source: "test")

  static let row: [DataValue] = [
    .string("male"), .number(30), .number(1000.5), .string("own"), .string("pays on time"),
  ]

  func variants(_ steps: [PerturbationStep], _ row: [DataValue] = row, seed: UInt64 = 7)
    -> [[DataValue]]
  {
    var random = SeededRandom(seed: seed, stream: "test")
    return Perturbation(steps: steps).variants(of: row, in: Self.space, random: &random)
  }

  @Test func swapGoesBothWaysAndLeavesOtherValues() {
    let swap = PerturbationStep.swap(column: 0, .string("male"), .string("female"))
    #expect(variants([swap]).map { $0[0] } == [.string("female")])
    var female = Self.row
    female[0] = .string("female")
    #expect(variants([swap], female).map { $0[0] } == [.string("male")])
    var missing = Self.row
    missing[0] = .missing
    #expect(variants([swap], missing).isEmpty, "a row with neither value is not tested")
  }

  @Test func setToTheSameValueGivesNoVariant() {
    #expect(variants([.set([.init(column: 3, value: .string("own"))])]).isEmpty)
    #expect(variants([.set([.init(column: 3, value: .string("rent"))])]).count == 1)
  }

  @Test func eachValueGivesEveryOtherValueOnce() {
    let values: [DataValue] = [.string("free"), .string("own"), .string("rent")]
    #expect(
      variants([.eachValue(column: 3, values: values)]).map { $0[3] } == [
        .string("free"), .string("rent"),
      ])
  }

  @Test func integersMoveByWholeStepsTowardsTheOriginalAndStayInBounds() {
    #expect(variants([.scale(column: 1, by: 1.5)]).map { $0[1] } == [.number(45)])
    #expect(variants([.shift(column: 1, by: 2.9)]).map { $0[1] } == [.number(32)])
    #expect(variants([.shift(column: 1, by: -2.9)]).map { $0[1] } == [.number(28)])
    #expect(variants([.shift(column: 1, by: 0.9)]).isEmpty, "less than one year: no change")
    #expect(variants([.scale(column: 1, by: 10)]).map { $0[1] } == [.number(74)])
    #expect(variants([.shift(column: 2, by: -5000)]).map { $0[2] } == [.number(250)])
    #expect(variants([.shift(column: 2, by: 0.25)]).map { $0[2] } == [.number(1000.75)])
  }

  @Test func textChanges() {
    let upper = variants([.text(column: 4, .upper)])
    #expect(upper.map { $0[4] } == [.string("PAYS ON TIME")])
    let punctuation = variants([.text(column: 4, .punctuation)])
    #expect(punctuation.map { $0[4] } == [.string("pays on time.")])
    let typo = variants([.text(column: 4, .typo)])
    guard case .string(let text)? = typo.first?[4] else {
      Issue.record("no typo")
      return
    }
    #expect(text.count == 12 && text.sorted() == "pays on time".sorted() && text != "pays on time")
    let space = variants([.text(column: 4, .whitespace)])
    #expect(
      space.first?[4] == .string("pays  on time") || space.first?[4] == .string("pays on  time"))
  }

  /// Noise stays within its bound, keeps integers whole and inside the column's bounds, and
  /// repeats with the seed.
  @Test func noiseIsBoundedTypedAndSeeded() async {
    let noise = PerturbationStep.noise(columns: [1, 2], size: 0.5, unit: .spread)
    await propertyCheck(
      count: 300, input: Gen.int(in: 19...74), Gen.double(in: 250...11676), Gen.uint64()
    ) { age, amount, seed in
      let row: [DataValue] = [
        .string("male"), .number(Double(age)), .number(amount), .string("own"), .string("x"),
      ]
      let made = variants([noise], row, seed: seed)
      #expect(made == variants([noise], row, seed: seed))
      for variant in made {
        guard case .number(let newAge) = variant[1], case .number(let newAmount) = variant[2]
        else {
          Issue.record("not numbers: \(variant)")
          return
        }
        #expect(newAge == newAge.rounded() && (19...74).contains(newAge))
        #expect(abs(newAge - Double(age)) <= 0.5 * 11.1)
        #expect(abs(newAmount - amount) <= 0.5 * 2000 + 1e-9)
        #expect((250...11676).contains(newAmount))
      }
    }
  }

  @Test func stepsComposeInOrderAndVariantsAreDistinct() {
    let values: [DataValue] = [.string("free"), .string("own"), .string("rent")]
    let made = variants([
      .swap(column: 0, .string("male"), .string("female")), .eachValue(column: 3, values: values),
    ])
    #expect(made.count == 2)
    #expect(made.allSatisfy { $0[0] == .string("female") })
  }
}
