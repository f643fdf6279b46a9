import Foundation
import Testing

@testable import MLGate

/// Concurrent `predict` calls on one command model each get the answer to their own batch.
@Suite struct CommandModelConcurrencyTests {
  /// A JSON Lines model that answers each row with its `x`, echoing the request id or not.
  static let script = """
    import json, sys
    echo_id = sys.argv[1] == "with-id"
    for line in sys.stdin:
        request = json.loads(line)
        answer = {"predictions": [row["x"] for row in request["rows"]]}
        if echo_id:
            answer["id"] = request["id"]
        sys.stdout.write(json.dumps(answer) + "\\n")
        sys.stdout.flush()
    """

  func model(_ mode: String) throws -> CommandModel {
    let directory = try TestEnvironment.temporaryDirectory()
    try Self.script.write(toFile: directory + "/echo.py", atomically: true, encoding: .utf8)
    return CommandModel(
      argv: ["python3", directory + "/echo.py", mode], workingDirectory: directory,
      timeout: .seconds(30), startTimeout: .seconds(30))
  }

  @Test(arguments: ["with-id", "without-id"])
  func manyConcurrentCallersEachGetTheirOwnAnswer(mode: String) async throws {
    let model = try model(mode)
    let answers = await withTaskGroup(of: (Int, [DataValue]?).self) { group in
      for caller in 0..<64 {
        group.addTask {
          let rows = (0..<(1 + caller % 5)).map { [DataValue.number(Double(caller * 100 + $0))] }
          let predictions = try? await model.predict(ModelInput(featureNames: ["x"], rows: rows))
          return (caller, predictions?.values)
        }
      }
      return await group.reduce(into: [Int: [DataValue]?]()) { $0[$1.0] = $1.1 }
    }
    await model.shutdown()
    #expect(answers.count == 64)
    for (caller, values) in answers {
      let expected = (0..<(1 + caller % 5)).map { DataValue.number(Double(caller * 100 + $0)) }
      #expect(values == expected, "caller \(caller)")
    }
  }
}
