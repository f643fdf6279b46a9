import Testing

@testable import MLGateHTTP
@testable import MLGateTestSupport

@Suite struct StubHTTPTransportTests {
  @Test func answersWithTheHandlerAndRecordsRequests() async throws {
    let transport: any HTTPTransport = StubHTTPTransport { request in
      guard request.url.hasSuffix("/ok") else {
        throw HTTPError(kind: .connect, curlCode: 7, message: "curl error 7: refused")
      }
      return HTTPResponse(status: 200, body: request.body ?? [])
    }

    let response = try await transport.send(
      HTTPRequest(method: "POST", url: "http://model/ok", body: [1, 2]))
    let error = await #expect(throws: HTTPError.self) {
      try await transport.send(HTTPRequest(url: "http://model/down"))
    }

    #expect(response.body == [1, 2])
    #expect(error?.kind == .connect)
    #expect(
      (transport as? StubHTTPTransport)?.requests.map(\.url) == [
        "http://model/ok", "http://model/down",
      ])
  }
}
