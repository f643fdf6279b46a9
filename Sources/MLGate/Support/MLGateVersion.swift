/// The mlgate version.
package enum MLGateVersion {
  /// The version string written into every report.
  package static let current = "0.1.0"
}
