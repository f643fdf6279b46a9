import Foundation

/// Files used by the XML tests: the package's fixtures and scratch files.
enum XMLFixtures {
  /// The package root: the nearest directory above this file that holds `Package.swift`.
  static func packageRoot(filePath: String = #filePath) throws -> URL {
    var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    while directory.path != "/" {
      if FileManager.default.fileExists(
        atPath: directory.appendingPathComponent("Package.swift").path)
      {
        return directory
      }
      directory.deleteLastPathComponent()
    }
    throw FixtureError(message: "no Package.swift above \(filePath)")
  }

  /// The path of the JUnit schema kept in the repository (`fixtures/schemas/junit-10.xsd`).
  static func junitSchemaPath() throws -> String {
    try packageRoot().appendingPathComponent("fixtures/schemas/junit-10.xsd").path
  }

  /// Writes `contents` to a new file in the temporary directory and returns its path.
  static func temporaryFile(_ contents: String, suffix: String = ".xml") throws -> String {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("mlgate-xml-\(UUID().uuidString)\(suffix)")
    try Data(contents.utf8).write(to: url)
    return url.path
  }

  /// Deletes a file made by ``temporaryFile(_:suffix:)``.
  static func remove(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
  }
}

/// A fixture that could not be found or created.
struct FixtureError: Error {
  /// What went wrong.
  var message: String
}
