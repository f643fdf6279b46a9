import Foundation

/// A running `ci/fixtures/http_fixture_server.py` on a loopback port, for the HTTP tests.
///
/// Call ``stop()`` when done (also done by `deinit`); the server also exits when this process
/// dies, because it serves until its standard input closes.
final class HTTPFixtureServer: @unchecked Sendable {
  /// The port the server listens on, on 127.0.0.1.
  let port: Int

  private let scheme: String
  private let process = Process()
  private let input = Pipe()
  private let output = Pipe()

  /// Starts a server and waits until it listens.
  ///
  /// - Parameters:
  ///   - certificate: A certificate and key to serve HTTPS with; `nil` for plain HTTP.
  ///   - clientCA: A CA file; when given, HTTPS clients must present a certificate it signed.
  ///   - script: The server script, relative to the repository root.
  ///   - python: The Python interpreter (`python3` on the PATH by default).
  ///   - arguments: Arguments for the script before the TLS options.
  /// - Throws: ``HTTPFixtureError`` when Python is missing or the server does not start.
  init(
    certificate: SelfSignedCertificate? = nil, clientCA: String? = nil,
    script: String = "ci/fixtures/http_fixture_server.py", python: String = "python3",
    arguments: [String] = []
  ) throws {
    scheme = certificate == nil ? "http" : "https"
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let script = Self.repositoryRoot.appendingPathComponent(script)
    process.arguments =
      [python, script.path] + arguments
      + (certificate.map { ["--tls", $0.certificatePath, $0.keyPath] } ?? [])
      + (clientCA.map { ["--client-ca", $0] } ?? [])
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    port = try Self.readPort(from: output.fileHandleForReading.fileDescriptor)
  }

  deinit {
    stop()
  }

  /// Starts a server on a Dispatch thread: waiting for its port must not block one of the few
  /// threads of the cooperative pool, whose timers the other tests run on.
  static func start(
    certificate: SelfSignedCertificate? = nil, clientCA: String? = nil,
    script: String = "ci/fixtures/http_fixture_server.py", python: String = "python3",
    arguments: [String] = []
  ) async throws -> HTTPFixtureServer {
    try await offPool {
      try HTTPFixtureServer(
        certificate: certificate, clientCA: clientCA, script: script, python: python,
        arguments: arguments)
    }
  }

  /// The absolute URL of a path on this server, for example `url("/echo")`.
  ///
  /// - Parameter path: The path and query, starting with `/`.
  /// - Returns: The URL string.
  func url(_ path: String) -> String {
    "\(scheme)://127.0.0.1:\(port)\(path)"
  }

  /// Stops the server and waits for it to exit.
  ///
  /// Idempotent.
  func stop() {
    guard process.isRunning else { return }
    try? input.fileHandleForWriting.close()
    process.terminate()
    process.waitUntilExit()
  }

  /// The repository root, found from this file's location: `Tests/<Target>/HTTP/<file>`.
  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  private static func readPort(from descriptor: Int32) throws -> Int {
    var line: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64)
    while !line.contains(UInt8(ascii: "\n")) {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      guard count > 0 else {
        throw HTTPFixtureError(message: "fixture server exited before printing its port")
      }
      line += buffer.prefix(count)
    }
    let text = String(decoding: line.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    guard let port = Int(text) else {
      throw HTTPFixtureError(message: "fixture server printed \(text.debugDescription), not a port")
    }
    return port
  }
}

/// A failure to set up a test fixture.
struct HTTPFixtureError: Error, CustomStringConvertible {
  /// What went wrong.
  var message: String

  var description: String { message }
}

/// A throwaway self-signed certificate for 127.0.0.1, in a temporary directory removed on deinit.
final class SelfSignedCertificate: @unchecked Sendable {
  /// The PEM certificate.
  let certificatePath: String

  /// The PEM private key.
  let keyPath: String

  private let directory: URL

  /// Generates a certificate with `openssl req -x509`.
  ///
  /// - Throws: ``HTTPFixtureError`` when `openssl` fails.
  init() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("mlgate-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    certificatePath = directory.appendingPathComponent("cert.pem").path
    keyPath = directory.appendingPathComponent("key.pem").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", keyPath, "-out", certificatePath,
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw HTTPFixtureError(message: "openssl req exited with \(process.terminationStatus)")
    }
  }

  deinit {
    try? FileManager.default.removeItem(at: directory)
  }

  /// Generates a certificate on a Dispatch thread (openssl takes a while).
  static func make() async throws -> SelfSignedCertificate {
    try await offPool { try SelfSignedCertificate() }
  }
}

/// Runs blocking set-up work on a Dispatch thread and waits for it without holding a thread of
/// the cooperative pool.
func offPool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value
{
  try await withCheckedThrowingContinuation { continuation in
    DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
  }
}
