import MeshIR

/// Mesh mutual TLS, client side (DestinationRule ISTIO_MUTUAL and Istio's
/// auto-mTLS): the proxy presents its workload certificate and accepts
/// only a server whose certificate carries the SPIFFE ID of a sidecar
/// behind the cluster, so a wrong server fails the handshake (fails closed).
enum MeshTLSPolicy {
    /// The cluster's TLS: `sni` (else Istio's `outbound_.<port>_.<subset>_.<host>`),
    /// `subjectAltNames` when the DestinationRule writes them, else the
    /// fronting sidecars' SPIFFE IDs (none known: any certificate of the mesh).
    static func upstream(_ key: ClusterKey, sni: String?, subjectAltNames: [String], _ state: CompileState) -> UpstreamTLS {
        let names = subjectAltNames.isEmpty ? (state.endpointPeers[key]?.identities ?? []).sorted() : subjectAltNames.sorted()
        return UpstreamTLS(sni: sni ?? self.sni(key), subjectAltNames: names, meshIdentity: true)
    }

    /// Istio's SNI for mesh mTLS: `outbound_.9080_.v1_.reviews.default.svc.cluster.local`, `_` without a subset.
    static func sni(_ key: ClusterKey) -> String { "outbound_.\(key.port)_.\(key.subset ?? "")_.\(key.host)" }
}
