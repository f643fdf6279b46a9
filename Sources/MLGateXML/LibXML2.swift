internal import CLibXML2

/// Process-wide libxml2 set-up shared by the wrappers in this module.
package enum LibXML2 {
  /// Options for every parse: no network, no entity substitution (never `XML_PARSE_NOENT`),
  /// errors reported only through the structured handlers.
  package static let parseOptions = Int32(
    XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)

  /// Runs `xmlInitParser()` exactly once; `xmlCleanupParser()` is never called.
  private static let initialized: Bool = {
    xmlInitParser()
    return true
  }()

  /// Initialises libxml2 if this has not happened yet; call before any other libxml2 function.
  package static func initialize() {
    _ = initialized
  }
}
