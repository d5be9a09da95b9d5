/// TLS from the proxy to a cluster's endpoints (Istio's ClientTLSSettings, SIMPLE or MUTUAL).
/// Certificates are files on the proxy's host.
public struct UpstreamTLS: Sendable, Equatable {
    /// Server name sent in the TLS handshake.
    public var sni: String?
    /// Client certificate chain and key (MUTUAL only).
    public var clientCertificate: String?
    public var privateKey: String?
    /// CA bundle that verifies the server certificate; nil: the server certificate is not verified.
    public var caCertificates: String?
    /// Names the server certificate must carry (one of them), sorted.
    public var subjectAltNames: [String]

    public init(sni: String? = nil, clientCertificate: String? = nil, privateKey: String? = nil, caCertificates: String? = nil,
                subjectAltNames: [String] = []) {
        self.sni = sni
        self.clientCertificate = clientCertificate
        self.privateKey = privateKey
        self.caCertificates = caCertificates
        self.subjectAltNames = subjectAltNames
    }
}
