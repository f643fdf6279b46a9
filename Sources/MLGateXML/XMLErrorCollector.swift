package import CLibXML2

/// Receives libxml2's structured errors for one operation, so that nothing reaches stderr.
///
/// Pass ``context`` as the `void *` argument of a libxml2 setter together with ``handler``, and
/// keep the collector alive for as long as libxml2 may call back (``capturing(_:)`` does both for
/// the thread-local handler).
package final class XMLErrorCollector {
  /// The errors and fatal errors received so far, in order; warnings are dropped.
  package private(set) var errors: [XMLError] = []

  /// Creates a collector with no errors.
  package init() {}

  /// The C callback that forwards to the collector whose ``context`` it is given.
  ///
  /// A closure literal, so that it adapts to the callback's parameter type, which changed from
  /// `xmlErrorPtr` to `const xmlError *` in libxml2 2.12.
  package static var handler: xmlStructuredErrorFunc {
    { context, error in
      guard let context, let error else { return }
      Unmanaged<XMLErrorCollector>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
    }
  }

  /// The unretained pointer to this collector that libxml2 hands back to ``handler``.
  package var context: UnsafeMutableRawPointer {
    Unmanaged.passUnretained(self).toOpaque()
  }

  /// The first error received, or an error with `fallback` as its message.
  package func firstError(or fallback: String) -> XMLError {
    errors.first ?? XMLError(message: fallback)
  }

  /// Records an error, or appends one that did not come from libxml2.
  package func append(_ error: XMLError) {
    errors.append(error)
  }

  /// Runs `body` with this collector installed as the calling thread's structured error handler,
  /// then restores the previous handler.
  ///
  /// This catches what libxml2 reports without a parser context (writer misuse, I/O and
  /// out-of-memory errors), which would otherwise go to the generic handler and stderr.
  package func capturing<Result, Failure: Error>(
    _ body: () throws(Failure) -> Result
  ) throws(Failure) -> Result {
    let previousHandler = cxml_structured_error_func()
    let previousContext = cxml_structured_error_context()
    xmlSetStructuredErrorFunc(context, Self.handler)
    defer { xmlSetStructuredErrorFunc(previousContext, previousHandler) }
    return try withExtendedLifetime(self) { () throws(Failure) -> Result in try body() }
  }

  /// Converts a libxml2 error and keeps it if it is at least an error.
  private func record(_ error: xmlError) {
    guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let text = error.message.map { String(cString: $0) } ?? "unknown libxml2 error"
    var message = Substring(text)
    while let last = message.last, last.isWhitespace { message.removeLast() }
    errors.append(
      XMLError(
        message: String(message),
        line: error.line > 0 ? Int(error.line) : nil,
        column: error.int2 > 0 ? Int(error.int2) : nil))
  }
}
