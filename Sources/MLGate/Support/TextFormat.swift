import Foundation

/// Number and text formatting shared by reports: POSIX, never locale dependent.
enum TextFormat {
  /// A figure with `digits` decimals (`0.8123`), or `nan` / `inf`.
  static func figure(_ value: Double, digits: Int = 4) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    return String(format: "%.\(digits)f", locale: nil, value)
  }

  /// A small tolerance in short scientific form: `1e-06`, `0.001`.
  static func scientific(_ value: Double) -> String {
    value != 0 && abs(value) < 1e-3 ? String(format: "%g", locale: nil, value) : "\(value)"
  }

  /// Three significant digits, in scientific form when small or large: `-0.00703`, `1.53e-04`.
  static func significant(_ value: Double) -> String {
    guard value.isFinite else { return figure(value) }
    return String(format: "%.3g", locale: nil, value)
  }

  /// Up to six significant digits, no exponent for everyday magnitudes: `3360`, `0.0421`.
  static func compact(_ value: Double) -> String {
    guard value.isFinite else { return figure(value) }
    return String(format: "%.6g", locale: nil, value)
  }

  /// A share as a percentage with up to two decimals: `0%`, `1.5%`, `0.02%`.
  static func percent(_ share: Double) -> String {
    guard share.isFinite else { return figure(share) }
    var text = String(format: "%.2f", locale: nil, share * 100)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    if text == "0", share > 0 { return "<0.01%" }
    return text + "%"
  }

  /// Seconds with three decimals, as JUnit's `time` wants.
  static func seconds(_ duration: Duration) -> String {
    let value = max(
      0, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    return String(format: "%.3f", locale: nil, value)
  }

  /// A human duration for the console: `850ms`, `2.4s`.
  static func short(_ duration: Duration) -> String {
    let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    if value < 1 { return "\(Int((value * 1000).rounded()))ms" }
    return String(format: "%.1fs", locale: nil, value)
  }

  /// The closest of `candidates` to `word` by edit distance, if close enough to be a likely typo.
  static func suggestion(for word: String, in candidates: [String]) -> String? {
    let lowered = word.lowercased()
    var best: (String, Int)?
    for candidate in candidates {
      let distance = editDistance(lowered, candidate.lowercased())
      if best == nil || distance < best?.1 ?? Int.max { best = (candidate, distance) }
    }
    guard let (candidate, distance) = best else { return nil }
    let limit = max(2, candidate.count / 3)
    return distance <= limit ? candidate : nil
  }

  /// Damerau–Levenshtein distance (optimal string alignment).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a)
    let y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { table[i][0] = i }
    for j in 0...y.count { table[0][j] = j }
    for i in 1...x.count {
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[x.count][y.count]
  }

  /// A size in bytes as people say it: `16 MiB`, `512 KiB`, `80 bytes`.
  static func bytes(_ count: Int) -> String {
    if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
    if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
    return "\(count) bytes"
  }

  /// Text cut to `limit` characters with a marker saying how much was cut.
  static func trimmed(_ text: String, limit: Int) -> String {
    guard text.count > limit else { return text }
    return String(text.prefix(limit)) + "… [\(text.count - limit) more characters]"
  }

  /// The last `limit` characters of a text, for stderr tails.
  static func tail(_ text: String, limit: Int) -> String {
    guard text.count > limit else { return text }
    return "…" + String(text.suffix(limit))
  }
}
