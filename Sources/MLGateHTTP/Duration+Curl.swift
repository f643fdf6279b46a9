extension Duration {
  /// This duration in whole milliseconds for libcurl, rounded up and clamped to 1...2^31-1.
  ///
  /// libcurl reads `0` as "no limit", so zero and negative durations become 1 ms.
  var curlMilliseconds: Int {
    let (seconds, attoseconds) = components
    guard seconds >= 0 else { return 1 }
    let limit = Int(Int32.max)
    guard seconds < Int64(limit / 1000) else { return limit }
    let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return Swift.min(Swift.max(Int(seconds) * 1000 + Int(fraction), 1), limit)
  }

  /// This duration in whole seconds for libcurl, rounded up and at least 1.
  var curlSeconds: Int {
    (curlMilliseconds + 999) / 1000
  }

  /// A duration from libcurl's microsecond counters.
  ///
  /// - Parameter value: Microseconds.
  /// - Returns: The duration; zero for negative input.
  static func curlMicroseconds(_ value: Int64) -> Duration {
    .microseconds(Swift.max(value, 0))
  }
}
