import MeshDiagnostics
import MeshIR
import MeshSnapshot

/// Mesh mutual TLS (Istio's ISTIO_MUTUAL and PeerAuthentication STRICT /
/// PERMISSIVE): the proxy's workload certificate and the mesh trust bundle
/// come from the SDS secrets `default` and `ROOTCA` in the proxy's folder
/// (`SecretSource`); nothing about the certificates is in the snapshot.
enum MeshTLSBuilder {
    /// The `DownstreamTlsContext` of a sidecar's inbound mTLS chain: a client
    /// certificate is required and must chain to the mesh's trust bundle.
    static func downstream() -> JSON {
        let common: JSONObject = [
            "tls_certificate_sds_secret_configs": .array([SecretSource.secretConfig(SecretSource.certificate)]),
            "validation_context_sds_secret_config": SecretSource.secretConfig(SecretSource.root),
        ]
        let context: JSONObject = ["common_tls_context": .object(common), "require_client_certificate": .bool(true)]
        return .object([
            "name": .string(EnvoyFilter.tlsTransportSocket),
            "typed_config": JSON.object(context).typed(EnvoyType.downstreamTLSContext),
        ])
    }

    /// The `UpstreamTlsContext` of an ISTIO_MUTUAL cluster: the proxy's
    /// certificate as client certificate; the server's must chain to the
    /// mesh's trust bundle and carry one of `tls.subjectAltNames` (SPIFFE
    /// IDs: URI SANs), so a wrong server fails the handshake.
    static func upstream(_ tls: UpstreamTLS) -> JSON {
        var validation: JSONObject = [:]
        if !tls.subjectAltNames.isEmpty {
            validation["match_typed_subject_alt_names"] = .array(tls.subjectAltNames.map { name in
                .object(["san_type": .string(name.contains("://") ? "URI" : "DNS"), "matcher": .object(["exact": .string(name)])])
            })
        }
        let common: JSONObject = [
            "tls_certificate_sds_secret_configs": .array([SecretSource.secretConfig(SecretSource.certificate)]),
            "combined_validation_context": .object([
                "default_validation_context": .object(validation),
                "validation_context_sds_secret_config": SecretSource.secretConfig(SecretSource.root),
            ]),
        ]
        var context: JSONObject = ["common_tls_context": .object(common)]
        if let sni = tls.sni { context["sni"] = .string(sni) }
        return .object([
            "name": .string(EnvoyFilter.tlsTransportSocket),
            "typed_config": JSON.object(context).typed(EnvoyType.upstreamTLSContext),
        ])
    }

    /// Istio's sidecar inbound `x-forwarded-client-cert` settings, on a
    /// connection manager behind mesh mTLS: the caller's certificate (its
    /// SPIFFE ID as URI) appended to what the caller's proxy forwarded.
    static let forwardClientCert: JSONObject = [
        "forward_client_cert_details": .string("APPEND_FORWARD"),
        "set_current_client_cert_details": .object(["dns": .bool(true), "subject": .bool(true), "uri": .bool(true)]),
    ]
}
