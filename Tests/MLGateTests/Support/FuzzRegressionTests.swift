import Foundation
import MLGateFuzz
import Testing

/// Inputs the fuzzer once found to crash or leak (`fixtures/fuzz/TARGET/`): each must now run
/// through its target without trapping.
@Suite struct FuzzRegressionTests {
  static let cases: [String] = {
    let root = TestEnvironment.path("fixtures/fuzz")
    let targets = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return targets.sorted().flatMap { target in
      ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + target)) ?? []).sorted()
        .map { "\(target)/\($0)" }
    }
  }()

  @Test(arguments: cases)
  func aFoundInputRunsCleanly(path: String) throws {
    let target = try #require(FuzzTarget(rawValue: String(path.prefix { $0 != "/" })))
    let bytes = Array(
      try Data(contentsOf: URL(fileURLWithPath: TestEnvironment.path("fixtures/fuzz/\(path)"))))
    target.run(bytes)
  }

  @Test func theCorpusIsNotEmpty() { #expect(Self.cases.count >= 3) }
}
