import Testing

@testable import MLGateHTTP

@Suite struct DurationCurlTests {
  @Test(arguments: [
    (Duration.milliseconds(1500), 1500), (.nanoseconds(1), 1), (.zero, 1), (.seconds(-3), 1),
    (.microseconds(2001), 3), (.seconds(30), 30_000), (.seconds(10_000_000), Int(Int32.max)),
  ])
  func millisecondsRoundUpAndClamp(duration: Duration, milliseconds: Int) {
    #expect(duration.curlMilliseconds == milliseconds)
  }

  @Test func secondsRoundUpToAtLeastOne() {
    #expect(Duration.milliseconds(1200).curlSeconds == 2)
    #expect(Duration.zero.curlSeconds == 1)
    #expect(Duration.seconds(5).curlSeconds == 5)
  }
}
