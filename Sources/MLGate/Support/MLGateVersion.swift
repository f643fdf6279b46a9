/// The mlgate version.
public enum MLGateVersion {
  /// The version string written into every report.
  public static let current = "0.1.0"
}
