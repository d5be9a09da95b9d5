import MeshDiagnostics
import MeshIR

extension EnvoyType {
    static let upstreamTLSContext = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext"
}

/// Builds a cluster's `transport_socket`: TLS with an `UpstreamTlsContext`, certificates read from files.
enum UpstreamTLSBuilder {
    static func build(_ tls: UpstreamTLS) -> JSON {
        var common: JSONObject = [:]
        if let chain = tls.clientCertificate, let key = tls.privateKey {
            common["tls_certificates"] = .array([.object([
                "certificate_chain": .object(["filename": .string(chain)]),
                "private_key": .object(["filename": .string(key)]),
            ])])
        }
        if let ca = tls.caCertificates {
            var validation: JSONObject = ["trusted_ca": .object(["filename": .string(ca)])]
            if !tls.subjectAltNames.isEmpty {
                // Istio matches a name against the certificate's DNS and URI (SPIFFE) names.
                validation["match_typed_subject_alt_names"] = .array(tls.subjectAltNames.map { name in
                    .object(["san_type": .string(name.contains("://") ? "URI" : "DNS"), "matcher": .object(["exact": .string(name)])])
                })
            }
            common["validation_context"] = .object(validation)
        }
        var context: JSONObject = ["common_tls_context": .object(common)]
        if let sni = tls.sni { context["sni"] = .string(sni) }
        return .object([
            "name": .string("envoy.transport_sockets.tls"),
            "typed_config": JSON.object(context).typed(EnvoyType.upstreamTLSContext),
        ])
    }
}
