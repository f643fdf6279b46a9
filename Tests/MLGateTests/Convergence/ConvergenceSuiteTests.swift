import Foundation
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// Convergence suites run by the mlgate binary as a user runs them: with no model, each planted
/// fault caught with a message that names its epoch, and a plot beside the report that the
/// junit-attachments plugin finds — and that a real browser renders.
@Suite(.serialized) struct ConvergenceSuiteTests {
  @Test func theRealRunsConvergeWithNoModel() async throws {
    let run = try await ReportCase.run(TestEnvironment.path("fixtures/histories/mlgate.yml"))
    #expect(run.result.status == 0, "\(run.result.stdout)")
    #expect(run.cases.count == 7)
    #expect(run.cases.values.allSatisfy { $0.passed })
    #expect(run.result.stdout.contains("no model"))
  }

  @Test func eachPlantedFaultIsCaughtAtItsEpoch() async throws {
    let run = try await ReportCase.run(
      TestEnvironment.path("fixtures/histories/mlgate-crafted.yml"))
    #expect(run.result.status == 1)
    let cases = run.cases
    let diverging = try #require(cases["a diverging loss is caught"]?.failure)
    #expect(diverging.contains("loss rises over the last 8 epochs (epochs 32–39)"), "\(diverging)")
    #expect(diverging.contains("at epoch 39 is 50.37% above the best 0.3090 at epoch 18"))
    let plateau = try #require(cases["a plateau from the start is caught"]?.failure)
    #expect(plateau.contains("loss is stuck: no improvement"), "\(plateau)")
    #expect(plateau.contains("in the first 4 epochs after epoch 0"))
    #expect(plateau.contains("median 0.6927 over epochs 0–3 → 0.6926 over epochs 36–39"))
    #expect(cases["a NaN loss is caught"]?.failure == "all values finite: loss is NaN at epoch 17")
    let overfitting = try #require(cases["overfitting is caught"]?.failure)
    #expect(
      overfitting.contains(
        "val_loss turned up: from its minimum 0.3789 at epoch 17 to 0.5381 at epoch 39"),
      "\(overfitting)")
    let spike = try #require(cases["a spike is a warning"])
    #expect(spike.passed)
    #expect(spike.output.contains("WARN no spikes: 1 spike: epoch 25:"), "\(spike.output)")
    let short = try #require(cases["four epochs are too few to judge"]?.skipped)
    #expect(short.contains("only 4 epochs after warm-up, fewer than 5"))
    #expect(
      cases["a noisy step loss that falls converges"]?.output.contains("block means of 400 points")
        == true)
    #expect(cases["a clean decay converges"]?.passed == true)
  }

  @Test func thePlotIsAttachedBesideTheReportAndRenders() async throws {
    let run = try await ReportCase.run(
      TestEnvironment.path("fixtures/histories/mlgate-crafted.yml"))
    let output = try #require(run.cases["a NaN loss is caught"]?.output)
    let marker = try #require(
      output.split(separator: "\n").first { $0.hasPrefix("[[ATTACHMENT|") && $0.hasSuffix("]]") })
    let path = String(marker.dropFirst("[[ATTACHMENT|".count).dropLast(2))
    #expect(path.hasPrefix("/"), "the plugin wants an absolute path")
    #expect(
      path == URL(fileURLWithPath: run.junit).deletingPathExtension().path
        + ".convergence-3-loss.svg")
    // Well-formed XML, with the NaN marked.
    let svg = try XMLDocumentReader.parse(path: path)
    #expect(svg.name == "svg")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("NaN at epoch 17"))
    #expect(text.contains(">FAIL</text>"))
    // A real browser draws it: headless Chromium's screenshot is not blank.
    guard let python = TestEnvironment.python else { return }
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    let required = ProcessInfo.processInfo.environment["MLGATE_REQUIRE_CHROMIUM"] == "1"
    guard chromium != nil || required else { return }
    let png = try TestEnvironment.temporaryDirectory() + "/plot.png"
    let render = try await runProgram(
      TestEnvironment.path("ci/render-svg"), ["--size", "860x460", path, png], timeLimit: 90)
    #expect(render.status == 0, "\(render.stderr)")
    let check = try await runProgram(
      python,
      [
        TestEnvironment.path("ci/check_png.py"), "--width", "860", "--height", "460",
        "--min-pixels", "5000", png,
      ])
    #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
  }

  @Test func noPlotWhenTheReportGoesToADevice() async throws {
    let result = try await runProgram(
      TestEnvironment.binary,
      [
        "run", TestEnvironment.path("fixtures/histories/mlgate.yml"), "--junit", "/dev/null",
        "--no-color",
      ])
    #expect(result.status == 0)
    #expect(!FileManager.default.fileExists(atPath: "/dev/null.convergence-1-loss.svg"))
  }
}
