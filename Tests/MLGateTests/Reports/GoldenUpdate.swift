import Foundation
import Testing

@testable import MLGate

/// `MLGATE_UPDATE_GOLDEN=1 swift test --filter updateGolden` rewrites the golden report.
@Test(.enabled(if: ProcessInfo.processInfo.environment["MLGATE_UPDATE_GOLDEN"] == "1"))
func updateGolden() throws {
  let bytes = try JUnitWriter(path: "", secrets: SecretStore()).render(
    JUnitWriterTests.sampleReport())
  try Data(bytes).write(
    to: URL(fileURLWithPath: TestEnvironment.path("fixtures/golden/junit-basic.xml")))
}
