import Testing

@testable import MLGateHTTP

@Suite struct HTTPErrorTests {
  @Test(arguments: [
    (28, HTTPError.Kind.timeout), (7, .connect), (6, .dns), (5, .dns),
    (35, .tls), (51, .tls), (58, .tls), (60, .tls), (77, .tls), (83, .tls), (90, .tls), (91, .tls),
    (63, .responseTooLarge), (42, .cancelled), (1, .invalidRequest), (3, .invalidRequest),
    (18, .transport), (23, .transport), (52, .transport), (56, .transport),
  ])
  func curlCodesMapToKinds(code: Int, kind: HTTPError.Kind) {
    #expect(HTTPError.kind(forCurlCode: code) == kind)
  }

  @Test func descriptionIsTheMessage() {
    let error = HTTPError(kind: .connect, curlCode: 7, message: "curl error 7: refused")
    #expect(error.description == "curl error 7: refused")
    #expect("\(error.kind)" == "connect")
  }
}
