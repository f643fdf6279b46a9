/// TLS settings for one request.
///
/// The defaults verify the server against the system trust store and send no client certificate.
package struct TLSOptions: Sendable, Hashable {
  /// A PEM file of trusted certificate authorities, replacing the system store; `nil` for the system.
  package var caBundlePath: String?

  /// A PEM client certificate for mutual TLS; `nil` for none.
  package var clientCertificatePath: String?

  /// The PEM private key of ``clientCertificatePath``; `nil` when the certificate file holds it.
  package var clientKeyPath: String?

  /// Whether to skip verification of the server certificate and host name.
  ///
  /// For test servers only.
  package var insecure: Bool

  /// Creates TLS settings.
  ///
  /// - Parameters:
  ///   - caBundlePath: A PEM file of trusted certificate authorities, or `nil` for the system store.
  ///   - clientCertificatePath: A PEM client certificate for mutual TLS, or `nil`.
  ///   - clientKeyPath: The PEM private key of the client certificate, or `nil`.
  ///   - insecure: Whether to skip verification of the server certificate and host name.
  package init(
    caBundlePath: String? = nil,
    clientCertificatePath: String? = nil,
    clientKeyPath: String? = nil,
    insecure: Bool = false
  ) {
    self.caBundlePath = caBundlePath
    self.clientCertificatePath = clientCertificatePath
    self.clientKeyPath = clientKeyPath
    self.insecure = insecure
  }
}
