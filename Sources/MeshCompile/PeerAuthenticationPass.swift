import MeshIR
import MeshModel
import MeshValidate

/// Mesh mutual TLS, server side: the PeerAuthentication mode of every
/// declared sidecar's workload (`MeshIndex.peerModes`, Istio's precedence),
/// and which sidecar fronts which WorkloadEntry, so that clusters know when
/// their endpoints speak mesh mTLS (auto-mTLS, `MeshTLSPolicy`).
///
/// Modes are built only when the repository has a PeerAuthentication
/// (`MeshIndex.hasPeerAuthentication`): without one, sidecars serve plain
/// text as before and no cluster turns on mTLS by itself (a DestinationRule's
/// ISTIO_MUTUAL still does, and still checks the sidecars' SPIFFE IDs).
enum PeerAuthenticationPass {
    static func run(_ state: inout CompileState) {
        state.meshTLS = state.index.hasPeerAuthentication
        for declaration in state.declarations where declaration.role == .sidecar {
            guard let workload = declaration.workload else { continue }
            state.sidecarOfWorkload[ObjectIdentifier(workload)] = declaration
            if state.meshTLS {
                state.peerModes[declaration.name] = state.index.peerModes(namespace: workload.namespace, labels: declaration.labels)
            }
        }
    }

    /// The inbound filter chains of a sidecar port serving route configuration `routeConfig` in `mode`
    /// (nil: no mesh mTLS, one plain chain).
    static func inboundChains(_ mode: PeerMode?, routeConfig: String) -> [FilterChain] {
        switch mode {
        case .strict?:
            return [FilterChain(meshTLS: true, action: .http(routeConfig: routeConfig))]
        case .permissive?:
            return [FilterChain(transportProtocol: "tls", meshTLS: true, action: .http(routeConfig: routeConfig)),
                    FilterChain(transportProtocol: "raw_buffer", action: .http(routeConfig: routeConfig))]
        case .disable?, nil:
            return [FilterChain(action: .http(routeConfig: routeConfig))]
        }
    }
}

/// Who answers at a cluster's endpoints: sidecars (their SPIFFE IDs and
/// whether one of them refuses mTLS on the port) or bare workloads.
struct EndpointPeers {
    /// SPIFFE IDs of the sidecars fronting endpoints.
    var identities: Set<String> = []
    /// Endpoints without a sidecar (plain text only).
    var plain = 0
    /// Some fronting sidecar has DISABLE on the port (Istio's auto-mTLS then sends plain text).
    var disabled = false

    /// Istio's auto-mTLS rule: every endpoint has a sidecar that takes mTLS.
    var acceptsMeshTLS: Bool { plain == 0 && !identities.isEmpty && !disabled }
}
