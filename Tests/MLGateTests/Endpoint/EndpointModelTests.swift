import Foundation
import MLGateHTTP
import Synchronization
import Testing

@testable import MLGate
@testable import MLGateTestSupport

/// The endpoint model's behaviour against an in-memory transport: retries, auth, errors, codecs.
@Suite struct EndpointModelTests {
  static let batch = ModelInput(
    featureNames: ["LoanDuration", "Sex"],
    rows: [[.number(31), .string("female")], [.number(12.5), .missing]])

  static func config(
    _ wire: EndpointConfig.WireProtocol, auth: EndpointConfig.Auth = .none, retries: Int = 3
  )
    -> EndpointConfig
  {
    EndpointConfig(
      url: "https://scoring.example.test/ml/v4/deployments/d1/predictions?version=2021-05-01",
      wireProtocol: wire,
      auth: auth, insecure: false, health: nil, concurrency: 2, retries: retries, retryBudget: 10,
      outputs: nil,
      mapping: nil, headers: [:])
  }

  static func response(_ status: Int, _ body: String, headers: [HTTPHeader] = []) -> HTTPResponse {
    HTTPResponse(
      status: status, headers: headers, body: Array(body.utf8), httpVersion: "1.1",
      totalTime: .zero, connectTime: .zero,
      timeToFirstByte: .zero, reusedConnection: false)
  }

  static let wmlAnswer = """
    {"predictions":[{"fields":["prediction","probability"],"values":[["Risk",[0.25,0.75]],["No Risk",[0.9,0.1]]]}]}
    """

  func model(
    _ config: EndpointConfig, secrets: SecretStore = SecretStore(),
    _ handler: @escaping StubHTTPTransport.Handler
  )
    -> (EndpointModel, StubHTTPTransport)
  {
    let stub = StubHTTPTransport(handler)
    let model = EndpointModel(
      config: config, task: .binaryClassification, timeout: .seconds(5),
      classes: ["No Risk", "Risk"], seed: 7,
      secrets: secrets, transport: stub)
    return (model, stub)
  }

  @Test func wmlRequestAndAnswer() async throws {
    let (model, stub) = model(Self.config(.wml)) { _ in Self.response(200, Self.wmlAnswer) }
    let predictions = try await model.predict(Self.batch)
    #expect(predictions.values == [.string("Risk"), .string("No Risk")])
    #expect(predictions.probabilities == [[0.25, 0.75], [0.9, 0.1]])
    let sent = try JSONParser.parse(try #require(stub.requests.first?.body))
    #expect(
      sent
        == (try JSONParser.parse(
          #"{"input_data":[{"fields":["LoanDuration","Sex"],"values":[[31,"female"],[12.5,null]]}]}"#
        )))
  }

  @Test func retriesOn503HonouringRetryAfterThenSucceeds() async throws {
    let calls = Mutex(0)
    let (model, stub) = model(Self.config(.wml)) { _ in
      let call = calls.withLock { value -> Int in
        value += 1
        return value
      }
      if call < 3 {
        return Self.response(
          503, #"{"error":"warming up"}"#, headers: [HTTPHeader("Retry-After", "0")])
      }
      return Self.response(200, Self.wmlAnswer)
    }
    _ = try await model.predict(Self.batch)
    #expect(stub.requests.count == 3)
    let properties = Dictionary(
      uniqueKeysWithValues: await model.reportProperties().map { ($0.name, $0.value) })
    #expect(properties["endpoint.retries"] == "2")
  }

  @Test func neverRetriesOtherClientErrorsAndShowsTheServersMessage() async throws {
    let (model, stub) = model(Self.config(.wml)) { _ in
      Self.response(
        400,
        #"{"trace":"x","errors":[{"code":"invalid_input","message":"Field LoanDuration is missing"}],"status_code":400}"#
      )
    }
    let error = try #require(await Self.failure(model))
    #expect(stub.requests.count == 1)
    #expect(error.kind == .model)
    #expect(error.message == "the endpoint answered HTTP 400: Field LoanDuration is missing")
  }

  @Test func givesUpAfterTheConfiguredRetries() async throws {
    let (model, stub) = model(Self.config(.wml, retries: 2)) { _ in
      Self.response(429, "slow down", headers: [HTTPHeader("Retry-After", "0")])
    }
    let error = try #require(await Self.failure(model))
    #expect(stub.requests.count == 3)
    #expect(
      error.message.hasPrefix("the endpoint answered HTTP 429 (after 2 retries): slow down"),
      "\(error.message)")
  }

  @Test func connectionFailuresAreRetriedThenReported() async throws {
    let (model, stub) = model(Self.config(.wml, retries: 1)) { _ in
      throw HTTPError(
        kind: .connect, curlCode: 7, message: "curl error 7: Couldn't connect to server")
    }
    let error = try #require(await Self.failure(model))
    #expect(stub.requests.count == 2)
    #expect(error.kind == .infrastructure)
    #expect(error.message.contains("failed (after 1 retry): curl error 7"), "\(error.message)")
  }

  @Test func htmlErrorPagesAreReadAsText() async throws {
    let (model, _) = model(Self.config(.wml)) { _ in
      Self.response(
        502, "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>",
        headers: [HTTPHeader("Content-Type", "text/html")])
    }
    let error = try #require(await Self.failure(model))
    #expect(error.message == "the endpoint answered HTTP 502: 502 Bad Gateway nginx")
  }

  @Test func iamTokenIsExchangedCachedAndRefreshedOnceOn401() async throws {
    let secrets = SecretStore()
    let tokens = Mutex(0)
    let scoring = Mutex(0)
    let config = Self.config(
      .wml, auth: .iam(apiKey: "my-api-key-1", url: "https://iam.example.test/identity/token"))
    let (model, stub) = model(config, secrets: secrets) { request in
      if request.url.contains("/identity/token") {
        let n = tokens.withLock { value -> Int in
          value += 1
          return value
        }
        #expect(String(decoding: request.body ?? [], as: UTF8.self).contains("apikey=my-api-key-1"))
        return Self.response(200, #"{"access_token":"token-number-\#(n)","expires_in":3600}"#)
      }
      let n = scoring.withLock { value -> Int in
        value += 1
        return value
      }
      // The first scoring call says the token expired.
      if n == 1 { return Self.response(401, #"{"errors":[{"message":"token expired"}]}"#) }
      #expect(request.headers.contains(HTTPHeader("Authorization", "Bearer token-number-2")))
      return Self.response(200, Self.wmlAnswer)
    }
    _ = try await model.predict(Self.batch)
    _ = try await model.predict(Self.batch)
    #expect(tokens.withLock { $0 } == 2)
    #expect(stub.requests.count == 5)
    #expect(secrets.redact("Bearer token-number-2") == "Bearer ***")
  }

  @Test func wrongCountAndNaNAreInfrastructureErrors() async throws {
    let (short, _) = model(Self.config(.wml)) { _ in
      Self.response(
        200,
        #"{"predictions":[{"fields":["prediction","probability"],"values":[["Risk",[0.2,0.8]]]}]}"#)
    }
    #expect(
      try #require(await Self.failure(short)).message
        == "the model returned 1 predictions for 2 rows")
    let (nan, _) = model(Self.config(.wml)) { _ in
      Self.response(
        200,
        #"{"predictions":[{"fields":["prediction","probability"],"values":[["Risk",[NaN,0.8]],["Risk",[0.2,0.8]]]}]}"#
      )
    }
    #expect(try #require(await Self.failure(nan)).message.contains("probability in row 1 is nan"))
    let (html, _) = model(Self.config(.wml)) { _ in Self.response(200, "<html>oops</html>") }
    #expect(try #require(await Self.failure(html)).message.contains("with a body that is not JSON"))
  }

  @Test func v2RequestHasOneTensorPerColumnAndReadsOutputsByName() async throws {
    let (model, stub) = model(Self.config(.v2)) { _ in
      Self.response(
        200,
        #"{"model_name":"credit","outputs":[{"name":"predict","shape":[2,1],"datatype":"BYTES","data":["Risk","No Risk"]},{"name":"predict_proba","shape":[2,2],"datatype":"FP64","data":[0.25,0.75,0.9,0.1]}]}"#
      )
    }
    let predictions = try await model.predict(Self.batch)
    #expect(predictions.values == [.string("Risk"), .string("No Risk")])
    #expect(predictions.probabilities == [[0.25, 0.75], [0.9, 0.1]])
    let sent = try JSONParser.parse(try #require(stub.requests.first?.body))
    #expect(sent["parameters"]?["content_type"] == .string("pd"))
    let inputs = try #require(sent["inputs"]?.arrayValue)
    #expect(inputs[0]["datatype"] == .string("FP64"))
    #expect(inputs[1]["datatype"] == .string("BYTES"))
    #expect(inputs[1]["data"] == .array([.string("female"), .null]))
    #expect(
      sent["outputs"] == (try JSONParser.parse(#"[{"name":"predict"},{"name":"predict_proba"}]"#)))
  }

  @Test func mlflowProbabilityListsGiveArgmaxLabels() async throws {
    let (model, stub) = model(Self.config(.mlflow)) { _ in
      Self.response(200, #"{"predictions":[[0.25,0.75],[0.9,0.1]]}"#)
    }
    let predictions = try await model.predict(Self.batch)
    #expect(predictions.values == [.string("Risk"), .string("No Risk")])
    let sent = try JSONParser.parse(try #require(stub.requests.first?.body))
    #expect(
      sent["dataframe_split"]?["columns"] == .array([.string("LoanDuration"), .string("Sex")]))
  }

  @Test func jsonMappingFollowsPaths() async throws {
    var config = Self.config(.json)
    config.mapping = .init(
      requestKey: "data", layout: .records, predictions: "result.labels",
      probabilities: "result.scores")
    let (model, stub) = model(config) { _ in
      Self.response(
        200, #"{"result":{"labels":["Risk","No Risk"],"scores":[[0.25,0.75],[0.9,0.1]]}}"#)
    }
    let predictions = try await model.predict(Self.batch)
    #expect(predictions.values == [.string("Risk"), .string("No Risk")])
    let sent = try JSONParser.parse(try #require(stub.requests.first?.body))
    #expect(sent["data"]?.arrayValue?.first?["Sex"] == .string("female"))
  }

  @Test func displayHidesQueryValuesAndCredentials() {
    #expect(EndpointModel.display("https://u:p@host/x?code=secret") == "https://host/x?…")
  }

  @Test func retryAfterAcceptsSecondsAndDates() {
    #expect(EndpointModel.retryAfter("2") == .seconds(2))
    #expect(EndpointModel.retryAfter("soon") == nil)
    #expect(EndpointModel.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .zero)
  }

  static func failure(_ model: EndpointModel) async -> ModelError? {
    do throws(ModelError) {
      _ = try await model.predict(batch)
      return nil
    } catch {
      return error
    }
  }
}
