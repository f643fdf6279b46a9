import Foundation
import Testing

@testable import MLGate

/// Endpoint suites against the fixture endpoint server, serving the real credit model.
///
/// `ci/fixtures/endpoint_server.py` covers the protocols and auth that no real server here speaks (WML with IAM, mapped JSON, KServe v1),
/// and the fault matrix. Each fault must end as a clear error within the timeout.
@Suite(.enabled(if: TestEnvironment.pythonTestsEnabled), .serialized) struct EndpointSuiteTests {
  static let environment: [String: String] = [
    "MLGATE_TEST_IAM_KEY": "test-apikey-123", "MLGATE_TEST_TOKEN": "secret-token-xyz",
    "MLGATE_TEST_APIKEY": "key-abc-123", "MLGATE_TEST_PASSWORD": "pw-456",
  ]

  func server(_ arguments: [String] = [], certificate: SelfSignedCertificate? = nil)
    async throws -> HTTPFixtureServer
  {
    let python = try #require(TestEnvironment.python, "no Python: run ci/setup-python")
    return try await HTTPFixtureServer.start(
      certificate: certificate, script: "ci/fixtures/endpoint_server.py", python: python,
      arguments: [TestEnvironment.path("fixtures/credit/candidate.pkl")] + arguments)
  }

  func suite(endpoint: String, timeout: String = "10s") throws -> Suite {
    let text = """
      name: endpoint
      seed: 7
      task: binary-classification
      label: Risk
      positive: Risk
      data: { test: test.csv }
      model:
        endpoint:
      \(endpoint.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        batch: 100
        timeout: \(timeout)
        classes: [No Risk, Risk]
      tests: { quality: { accuracy: 0.5, area_under_roc: 0.5 } }
      """
    return try SuiteLoader(environment: { Self.environment[$0] }).parse(
      text: text, file: "inline.yml", directory: TestEnvironment.path("fixtures/credit"))
  }

  /// Scores the credit test data through the suite's endpoint.
  func score(_ suite: Suite) async -> (Result<ScoredData, ScoringError>, [String: String], Duration)
  {
    guard let model = Runner.model(of: suite) else {
      return (.failure(.suite("the suite has no model")), [:], .zero)
    }
    let context = RunContext(suite: suite, model: model, progress: nil)
    let clock = ContinuousClock()
    let start = clock.now
    let result: Result<ScoredData, ScoringError>
    do throws(ScoringError) {
      result = .success(try await context.scored())
    } catch {
      result = .failure(error)
    }
    let elapsed = clock.now - start
    let properties = Dictionary(
      await model.reportProperties().map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    await model.shutdown()
    return (result, properties, elapsed)
  }

  func expectFiguresMatchScikitLearn(_ scored: ScoredData) throws {
    try MetricEngineTests.expectFigures(of: scored.evaluation, match: "credit")
  }

  @Test func wmlWithIAMOverTLSGivesScikitLearnsFigures() async throws {
    let certificate = try await SelfSignedCertificate.make()
    let server = try await server(certificate: certificate)
    defer { server.stop() }
    let suite = try suite(
      endpoint: """
        url: \(server.url("/ml/v4/deployments/credit/predictions?version=2021-05-01"))
        protocol: wml
        auth: { iam: { apikey: "${MLGATE_TEST_IAM_KEY}", url: "\(server.url("/identity/token"))" } }
        tls: { ca: \(certificate.certificatePath) }
        concurrency: 4
        health: /health
        """)
    let (result, properties, _) = await score(suite)
    try expectFiguresMatchScikitLearn(try result.get())
    #expect(properties["endpoint.iam_token_exchanges"] == "1")
    #expect(properties["endpoint.requests"] == "10")
    #expect(suite.secrets.redact("key test-apikey-123") == "key ***")
  }

  @Test func anExpiredTokenIsRefreshedOnce() async throws {
    let server = try await server()
    defer { server.stop() }
    let suite = try suite(
      endpoint: """
        url: \(server.url("/ml/v4/deployments/expire-once/predictions?version=2021-05-01"))
        protocol: wml
        auth: { iam: { apikey: "${MLGATE_TEST_IAM_KEY}", url: "\(server.url("/identity/token"))" } }
        concurrency: 1
        """)
    let (result, properties, _) = await score(suite)
    try expectFiguresMatchScikitLearn(try result.get())
    #expect(properties["endpoint.token_refreshes"] == "1")
    #expect(properties["endpoint.iam_token_exchanges"] == "2")
  }

  @Test func mappedJSONWithBearerAndKServeV1GiveTheSameFigures() async throws {
    let server = try await server(["--require-auth", "bearer"])
    defer { server.stop() }
    let json = try suite(
      endpoint: """
        url: \(server.url("/score"))
        protocol: json
        auth: { bearer: { token: "${MLGATE_TEST_TOKEN}" } }
        json: { request_key: data, layout: records, predictions: result.labels, probabilities: result.scores }
        """)
    try expectFiguresMatchScikitLearn(try await score(json).0.get())
    let v1 = try suite(endpoint: "url: \(server.url("/v1/models/m:predict"))\nprotocol: kserve-v1")
    try expectFiguresMatchScikitLearn(try await score(v1).0.get())
  }

  @Test func untrustedTLSIsRefusedUnlessInsecure() async throws {
    let certificate = try await SelfSignedCertificate.make()
    let server = try await server(certificate: certificate)
    defer { server.stop() }
    let url = server.url("/v1/models/m:predict")
    let (refused, _, _) = await score(
      try suite(endpoint: "url: \(url)\nprotocol: kserve-v1\nretries: 0"))
    guard case .failure(.model(let error)) = refused else {
      Issue.record("expected a TLS error, got \(refused)")
      return
    }
    #expect(error.message.contains("TLS failed"), "\(error.message)")
    let (accepted, properties, _) = await score(
      try suite(endpoint: "url: \(url)\nprotocol: kserve-v1\ninsecure: true"))
    try expectFiguresMatchScikitLearn(try accepted.get())
    #expect(properties["endpoint.tls_verification"] == "OFF (insecure: true)")
  }

  @Test(
    "each fault is a clear error within the timeout, or recovers by retrying",
    arguments: [
      ("reset", "failed"),
      ("500", "the endpoint answered HTTP 500: boom"),
      ("503-then-ok?key=a", ""),
      ("429-then-ok?key=b", ""),
      ("always-503", "the endpoint answered HTTP 503"),
      ("hang", "no complete answer within 2.0s"),
      ("trickle", "no complete answer within 2.0s"),
      ("truncated", "failed"),
      ("html", "the endpoint answered HTTP 502: 502 Bad Gateway"),
      ("wrong-count", "the model returned 99 predictions for 100 rows"),
      ("nan", "probability in row 1 is nan"),
      ("strings", "probability in row 1 is the string"),
      ("big", "the answer is larger than 16 MiB"),
      ("plain-text-500", "the endpoint answered HTTP 500: Internal Server Error"),
    ])
  func fault(name: String, message: String) async throws {
    let server = try await server()
    defer { server.stop() }
    let suite = try suite(
      endpoint: "url: \(server.url("/fault/\(name)"))\nprotocol: wml\nretries: 2\nconcurrency: 1",
      timeout: "2s")
    let (result, properties, elapsed) = await score(suite)
    #expect(elapsed < .seconds(30))
    if message.isEmpty {
      try expectFiguresMatchScikitLearn(try result.get())
      #expect(properties["endpoint.retries"] == "1")
      return
    }
    guard case .failure(.model(let error)) = result else {
      Issue.record("\(name): expected a model error, got \(result)")
      return
    }
    #expect(error.message.contains(message), "\(name): \(error.message)")
  }

  @Test func redirectsNameTheirLocationAndAreFollowedWithinTheOriginOnlyWhenAllowed() async throws {
    let server = try await server()
    defer { server.stop() }
    func mapped(_ url: String, follow: Bool) throws -> Suite {
      try suite(
        endpoint: """
          url: \(url)
          protocol: json
          follow_redirects: \(follow)
          json: { request_key: data, layout: records, predictions: result.labels, probabilities: result.scores }
          """)
    }
    let here = server.url("/fault/redirect?to=/score&code=308")
    guard case .failure(.model(let refused)) = await score(try mapped(here, follow: false)).0 else {
      Issue.record("a redirect was followed without follow_redirects")
      return
    }
    #expect(refused.message.contains("HTTP 308"), "\(refused.message)")
    #expect(
      refused.message.contains("a redirect to \(server.url("/score")): point 'url' there"),
      "\(refused.message)")
    #expect(refused.message.contains("follow_redirects: true"))
    try expectFiguresMatchScikitLearn(try await score(try mapped(here, follow: true)).0.get())
    let elsewhere = server.url("/score").replacingOccurrences(of: "127.0.0.1", with: "localhost")
    let away = server.url("/fault/redirect?to=\(elsewhere)&code=302")
    guard case .failure(.model(let error)) = await score(try mapped(away, follow: true)).0 else {
      Issue.record("a redirect to another host was followed")
      return
    }
    #expect(
      error.message.contains("another scheme, host or port: not followed"), "\(error.message)")
  }

  @Test func connectionRefusedIsRetriedThenAnError() async throws {
    let suite = try suite(
      endpoint: "url: http://127.0.0.1:1/score\nprotocol: mlflow\nretries: 2\nconcurrency: 1",
      timeout: "2s")
    let (result, properties, _) = await score(suite)
    guard case .failure(.model(let error)) = result else {
      Issue.record("expected a connection error, got \(result)")
      return
    }
    #expect(error.message.contains("failed (after 2 retries)"), "\(error.message)")
    #expect(properties["endpoint.retries"] == "2")
  }
}

extension EndpointSuiteTests {
  @Test(arguments: [
    ("apikey", #"header: { name: X-API-Key, value: "${MLGATE_TEST_APIKEY}" }"#),
    ("basic", #"basic: { username: mlgate, password: "${MLGATE_TEST_PASSWORD}" }"#),
  ])
  func apiKeyAndBasicAuth(mode: String, auth: String) async throws {
    let server = try await server(["--require-auth", mode])
    defer { server.stop() }
    let mapping =
      "json: { request_key: data, layout: records, predictions: result.labels, probabilities: result.scores }"
    let good = try suite(
      endpoint: "url: \(server.url("/score"))\nprotocol: json\nauth: { \(auth) }\n\(mapping)")
    try expectFiguresMatchScikitLearn(try await score(good).0.get())
    let none = try suite(
      endpoint: "url: \(server.url("/score"))\nprotocol: json\nretries: 0\n\(mapping)")
    guard case .failure(.model(let error)) = await score(none).0 else {
      Issue.record("\(mode): expected a 401 without credentials")
      return
    }
    #expect(error.kind == .model)
    #expect(error.message.hasPrefix("the endpoint answered HTTP 401"), "\(error.message)")
  }

  @Test func switchingOnlyTheModelToWMLKeepsTheVerdictsAndLeaksNoSecret() async throws {
    let server = try await server()
    defer { server.stop() }
    var text = try String(
      contentsOfFile: TestEnvironment.path("fixtures/credit/mlgate.yml"), encoding: .utf8)
    // The quality, behavioural and adversarial verdicts and figures: the schema section's
    // bad-input cases test the server's own validation, which this fixture endpoint does not
    // share with the strict command model.
    let schema = try #require(text.range(of: "\n  schema:"))
    text.removeSubrange(schema.lowerBound...)
    let directory = TestEnvironment.path("fixtures/credit")
    let artifactPath = directory + "/.mlgate-artifact-\(UUID().uuidString).yml"
    try text.write(toFile: artifactPath, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: artifactPath) }
    let start = try #require(text.range(of: "model:\n"))
    let end = try #require(text.range(of: "\ntests:"))
    text.replaceSubrange(
      start.lowerBound..<end.lowerBound,
      with: """
        model:
          endpoint:
            url: "\(server.url("/ml/v4/deployments/credit/predictions"))?version=2021-05-01&key=${MLGATE_TEST_TOKEN}"
            protocol: wml
            auth: { iam: { apikey: "${MLGATE_TEST_IAM_KEY}", url: "\(server.url("/identity/token"))" } }
          classes: [No Risk, Risk]

        """)
    let suitePath = directory + "/.mlgate-wml-\(UUID().uuidString).yml"
    try text.write(toFile: suitePath, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: suitePath) }
    let output = try TestEnvironment.temporaryDirectory()
    func verdicts(_ path: String, _ junit: String) async throws -> (lines: [String], all: String) {
      let result = try await runProgram(
        TestEnvironment.binary, ["run", path, "--junit", junit, "--no-color"],
        environment: Self.environment,
        timeLimit: 120)
      #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
      let lines = result.stdout.split(separator: "\n").filter {
        $0.hasPrefix("PASS") || $0.hasPrefix("FAIL")
      }
      .map {
        $0.replacingOccurrences(of: #" \([0-9.]+m?s\)$"#, with: "", options: .regularExpression)
      }
      let report = (try? String(contentsOfFile: junit, encoding: .utf8)) ?? ""
      return (lines, result.stdout + result.stderr + report)
    }
    let artifact = try await verdicts(artifactPath, output + "/a.xml")
    let endpoint = try await verdicts(suitePath, output + "/e.xml")
    #expect(artifact.lines.count == 12)
    #expect(endpoint.lines == artifact.lines)
    // Secrets are nowhere in the console or the report.
    for secret in ["test-apikey-123", "secret-token-xyz"] {
      #expect(!endpoint.all.contains(secret), "\(secret) leaked")
    }
    #expect(endpoint.all.contains("endpoint.iam_token_exchanges"))
  }
}
