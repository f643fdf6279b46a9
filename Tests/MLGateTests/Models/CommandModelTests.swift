import Foundation
import Testing

@testable import MLGate

/// The command model against real misbehaving processes (`ci/fixtures/bad_model.py`).
@Suite struct CommandModelTests {
  static let input = ModelInput(
    featureNames: ["CheckingStatus", "LoanDuration", "Sex"],
    rows: [
      [.string("less_0"), .number(31), .missing],
      [.string("no_checking"), .number(12), .string("female")],
    ])

  func model(_ mode: String, timeout: Duration = .seconds(30)) -> CommandModel {
    CommandModel(
      argv: ["python3", TestEnvironment.path("ci/fixtures/bad_model.py"), "--mode", mode],
      workingDirectory: TestEnvironment.path("."),
      timeout: timeout, startTimeout: timeout)
  }

  func predictError(_ model: CommandModel) async -> ModelError? {
    do throws(ModelError) {
      _ = try await model.predict(Self.input)
      return nil
    } catch {
      return error
    }
  }

  /// Runs one prediction, returning the error and how long it took.
  func failure(_ mode: String, timeout: Duration = .seconds(30)) async -> (ModelError?, Duration) {
    let model = model(mode, timeout: timeout)
    let clock = ContinuousClock()
    let start = clock.now
    let caught = await predictError(model)
    let elapsed = clock.now - start
    await model.shutdown()
    return (caught, elapsed)
  }

  @Test func answersAreDecoded() async throws {
    let model = model("ok")
    let predictions = try await model.predict(Self.input)
    #expect(predictions.values == [.string("No Risk"), .string("No Risk")])
    #expect(predictions.probabilities == [[0.9, 0.1], [0.9, 0.1]])
    #expect(predictions.classes == ["No Risk", "Risk"])
    // A second batch goes to the same process.
    _ = try await model.predict(Self.input)
    await model.shutdown()
  }

  @Test(
    "a misbehaving model is an infrastructure error with a clear message",
    arguments: [
      ("exit", "the model process exited with status 3 before answering"),
      ("crash-start", "the model process exited with status 1"),
      ("garbage", "the model answered with something that is not JSON"),
      ("wrong-count", "the model returned 1 predictions for 2 rows"),
      ("wrong-id", "the model answered request id 2 to request 1"),
      ("nan", "probability in row 1 is the string 'NaN', expected a number between 0 and 1"),
    ])
  func misbehaviour(mode: String, message: String) async throws {
    let (error, elapsed) = await failure(mode, timeout: .seconds(900))
    let caught = try #require(error)
    #expect(caught.kind == .infrastructure)
    #expect(caught.message.contains(message), "\(caught.message)")
    // Well before the 900 s timeout: the failure is seen when it happens, not at the timeout.
    // (Alone this takes well under a second. In the full parallel suite on two cores it has
    // taken up to 66 s: the tests that compute synchronously hold the two threads of Swift
    // Testing's pool, and this test's task waits for one. The bound leaves room for that.)
    #expect(elapsed < .seconds(450))
  }

  @Test func crashKeepsStderrForTheReport() async throws {
    let (error, _) = await failure("crash-start")
    #expect(try #require(error).detail.contains("boom: cannot load model"))
  }

  /// A hang would exceed the time limit; how long the timeout took is not timed here (a loaded
  /// machine makes such bounds flaky): the message says the timeout stopped it.
  @Test(.timeLimit(.minutes(1))) func aHangingModelIsStoppedAtTheTimeout() async throws {
    let (error, _) = await failure("hang", timeout: .seconds(1))
    let caught = try #require(error)
    #expect(
      caught.message.contains("did not answer a batch of 2 rows within 1.0s"), "\(caught.message)")
  }

  @Test func anErrorAnswerIsAModelErrorAndTheModelKeepsServing() async throws {
    let model = model("error")
    for _ in 0..<2 {
      let caught = try #require(await predictError(model))
      #expect(caught.kind == .model)
      #expect(caught.message.contains("could not convert string to float: 'abc'"))
    }
    await model.shutdown()
  }

  @Test func afterAFailureEveryCallFailsAtOnce() async throws {
    let model = model("garbage")
    await #expect(throws: ModelError.self) { try await model.predict(Self.input) }
    let clock = ContinuousClock()
    let start = clock.now
    await #expect(throws: ModelError.self) { try await model.predict(Self.input) }
    // At once: not at the 30 s timeout (a loaded two-core run can hold the task for seconds).
    #expect(clock.now - start < .seconds(10))
    await model.shutdown()
  }

  @Test func aFloodOfStderrDoesNotBlockTheAnswer() async throws {
    // A model blocked on a full stderr pipe would be stopped at the timeout; the timeout is
    // generous because a loaded two-core run has taken 43 s to start Python and flood 5 MB.
    let model = model("stderr-flood", timeout: .seconds(300))
    let predictions = try await model.predict(Self.input)
    #expect(predictions.values.count == 2)
    await model.shutdown()
  }

  @Test func aMissingProgramIsAClearError() async throws {
    let model = CommandModel(
      argv: ["mlgate-no-such-program"], workingDirectory: "/", timeout: .seconds(30),
      startTimeout: .seconds(30))
    let caught = try #require(await predictError(model))
    #expect(
      caught.message.contains("'mlgate-no-such-program' could not be started"), "\(caught.message)")
    await model.shutdown()
  }
}
