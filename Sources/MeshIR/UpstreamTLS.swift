/// TLS from the proxy to a cluster's endpoints (Istio's ClientTLSSettings, SIMPLE or MUTUAL).
/// Certificates are files on the proxy's host.
package struct UpstreamTLS: Sendable, Hashable {
    /// Server name sent in the TLS handshake.
    package var sni: String?
    /// Client certificate chain and key (MUTUAL only).
    package var clientCertificate: String?
    package var privateKey: String?
    /// CA bundle that verifies the server certificate; nil: the server certificate is not verified.
    package var caCertificates: String?
    /// Names the server certificate must carry (one of them), sorted.
    package var subjectAltNames: [String]
    /// Istio's ISTIO_MUTUAL: the proxy's own workload certificate (SDS
    /// `default`) as client certificate, the server verified against the
    /// mesh trust bundle (SDS `ROOTCA`); the certificate fields are unused.
    package var meshIdentity: Bool = false
    /// Istio's auto SNI (SIMPLE or MUTUAL without `sni`): each new upstream
    /// connection sends the request's host as its SNI (HTTP clusters).
    package var autoSni: Bool = false
    /// Istio's auto SAN validation (auto SNI, no `subjectAltNames`, the
    /// server verified): the server certificate must name the request's host.
    package var autoSanValidation: Bool = false

    /// Whether the cluster's `HttpProtocolOptions` carry the auto SNI or SAN settings.
    package var setsUpstreamHTTPOptions: Bool { autoSni || autoSanValidation }

    package init(sni: String? = nil, clientCertificate: String? = nil, privateKey: String? = nil, caCertificates: String? = nil,
                subjectAltNames: [String] = [], meshIdentity: Bool = false) {
        self.meshIdentity = meshIdentity
        self.sni = sni
        self.clientCertificate = clientCertificate
        self.privateKey = privateKey
        self.caCertificates = caCertificates
        self.subjectAltNames = subjectAltNames
    }
}
