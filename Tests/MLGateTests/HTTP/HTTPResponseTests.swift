import Testing

@testable import MLGateHTTP

@Suite struct HTTPResponseTests {
  private let response = HTTPResponse(
    status: 200,
    headers: [
      HTTPHeader("Set-Cookie", "a=1"), HTTPHeader("Content-Type", "application/json"),
      HTTPHeader("set-cookie", "b=2"),
    ])

  @Test func headerLookupIgnoresCaseAndReturnsTheLastValue() {
    #expect(response.header("SET-COOKIE") == "b=2")
    #expect(response.header("content-type") == "application/json")
    #expect(response.header("Content-Length") == nil)
  }

  @Test func allValuesOfAHeaderInOrder() {
    #expect(response.headers(named: "Set-Cookie") == ["a=1", "b=2"])
    #expect(response.headers(named: "X-Missing").isEmpty)
  }

  @Test func headerNamesCompareOnlyASCIICase() {
    #expect(HTTPHeader("X-Ä", "1").hasName("x-Ä"))
    #expect(!HTTPHeader("X-A", "1").hasName("X-AB"))
  }
}
