import Foundation
import MLGateXML

/// Writes a run as JUnit XML the way Jenkins' `junit` step reads it.
///
/// The rules (the README's "The JUnit report" section): one `<testsuite>` per category named
/// `<suite>.<category>`, one `<testcase>` per check with `classname` the same; exactly one
/// outcome element per case (`failure` type threshold, `error` type infrastructure|model|data|
/// suite|harness, `skipped` with type inconclusive where evidence is thin); one-line messages
/// with figures and details in the body; provenance as suite properties only; `time` with three
/// decimals; every string sanitised and stripped of secrets; written to a temporary file and
/// renamed, so a reader never sees half a report.
package struct JUnitWriter: Reporter {
  /// Where the report goes.
  package let path: String
  private let secrets: SecretStore

  /// Creates a writer for `path`, redacting `secrets` from everything it writes.
  package init(path: String, secrets: SecretStore) {
    self.path = path
    self.secrets = secrets
  }

  package func runFinished(_ report: RunReport) throws {
    let bytes: [UInt8]
    do {
      bytes = try render(report)
    } catch {
      throw ReportWriteError(path: path, reason: "the XML writer failed: \(error)")
    }
    try ReportFile.write(bytes, to: path)
  }

  /// The XML of a report.
  package func render(_ report: RunReport) throws -> [UInt8] {
    let writer = try RedactedXMLWriter(indent: true, secrets: secrets)
    let suite = JUnitWriter.segment(secrets.redact(report.suiteName))
    let counts = report.counts
    try writer.startDocument()
    try writer.startElement("testsuites")
    try writer.attribute("name", "mlgate")
    try writer.attribute("tests", "\(report.results.count)")
    try writer.attribute("failures", "\(counts.failed)")
    try writer.attribute("errors", "\(counts.errors)")
    try writer.attribute("time", TextFormat.seconds(report.duration))
    var categories = report.categories
    for result in report.results where !categories.contains(result.category) {
      categories.append(result.category)
    }
    for category in categories {
      let results = report.results.filter { $0.category == category }
      guard !results.isEmpty else { continue }
      try writeSuite(
        writer, report: report,
        className: "\(suite).\(JUnitWriter.segment(secrets.redact(category.rawValue)))",
        results: results)
    }
    try writer.endElement()
    try writer.endDocument()
    return try writer.finish()
  }

  private func writeSuite(
    _ writer: RedactedXMLWriter, report: RunReport, className: String, results: [CheckResult]
  ) throws {
    var failed = 0
    var errors = 0
    var skipped = 0
    var time = Duration.zero
    for result in results {
      time += result.duration
      switch result.outcome {
      case .failed: failed += 1
      case .error: errors += 1
      case .skipped: skipped += 1
      case .passed: break
      }
    }
    try writer.startElement("testsuite")
    try writer.attribute("name", className)
    try writer.attribute("tests", "\(results.count)")
    try writer.attribute("failures", "\(failed)")
    try writer.attribute("errors", "\(errors)")
    try writer.attribute("skipped", "\(skipped)")
    try writer.attribute("time", TextFormat.seconds(time))
    try writer.attribute("timestamp", JUnitWriter.timestamp(report.startedAt))
    try writer.attribute("hostname", report.hostname)
    if !report.properties.isEmpty {
      try writer.startElement("properties")
      for property in report.properties {
        try writer.startElement("property")
        try writer.attribute("name", property.name)
        try writer.attribute("value", clean(property.value))
        try writer.endElement()
      }
      try writer.endElement()
    }
    var used = Set<String>()
    for result in results {
      var name = clean(result.name)
      var suffix = 2
      while !used.insert(JUnitWriter.identifierKey(name)).inserted {
        name = "\(clean(result.name)) (\(suffix))"
        suffix += 1
      }
      try writer.startElement("testcase")
      try writer.attribute("classname", className)
      try writer.attribute("name", name)
      try writer.attribute("time", TextFormat.seconds(result.duration))
      switch result.outcome {
      case .passed: break
      case .failed(let message, let details):
        try outcomeElement(writer, "failure", type: "threshold", message: message, body: details)
      case .error(let kind, let message, let details):
        try outcomeElement(
          writer, "error", type: kind.rawValue, message: message, body: details)
      case .skipped(let message, let inconclusive):
        try outcomeElement(
          writer, "skipped", type: inconclusive ? "inconclusive" : nil, message: message, body: "")
      }
      if !result.summary.isEmpty {
        try writer.startElement("system-out")
        try writer.text(TextFormat.trimmed(clean(result.summary), limit: 32_000))
        try writer.endElement()
      }
      try writer.endElement()
    }
    try writer.endElement()
  }

  private func outcomeElement(
    _ writer: RedactedXMLWriter, _ element: String, type: String?, message: String, body: String
  ) throws {
    try writer.startElement(element)
    if let type { try writer.attribute("type", type) }
    let oneLine = clean(message).split(whereSeparator: \.isNewline).joined(separator: " ")
    try writer.attribute("message", TextFormat.trimmed(oneLine, limit: 1_000))
    if !body.isEmpty { try writer.text(TextFormat.trimmed(clean(body), limit: 60_000)) }
    try writer.endElement()
  }

  private func clean(_ text: String) -> String { secrets.redact(text) }

  /// A `classname` segment: only `[A-Za-z0-9_-]`, so Jenkins splits package and class right.
  static func segment(_ text: String) -> String {
    let mapped = text.unicodeScalars.map { scalar -> Character in
      scalar.isASCII
        && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == "-")
        ? Character(scalar) : "_"
    }
    let result = String(mapped)
    return result.isEmpty ? "_" : result
  }

  /// The name as Jenkins' URL makes it: non-identifier characters become `_`.
  static func identifierKey(_ name: String) -> String {
    String(
      name.unicodeScalars.map {
        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") ? Character($0) : "_"
      })
  }

  /// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
  static func timestamp(_ seconds: Double) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02dZ", locale: nil, Int(parts.tm_year) + 1900,
      Int(parts.tm_mon) + 1,
      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
  }
}
