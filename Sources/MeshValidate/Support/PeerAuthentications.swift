import MeshDiagnostics
import MeshModel

/// A sidecar port's mutual TLS mode after PeerAuthentication (Istio's `MutualTLSMode`).
package enum PeerMode: String, Sendable, Equatable {
    /// Only mesh mTLS connections are accepted.
    case strict = "STRICT"
    /// mTLS and plain text on one port (the TLS inspector tells them apart): Istio's default.
    case permissive = "PERMISSIVE"
    /// Plain text only.
    case disable = "DISABLE"
}

/// The effective PeerAuthentication of one workload, composed as Istio's
/// `ComposePeerAuthentication` does: the workload's own policy (selector
/// matching its labels) over its namespace's (no selector) over the mesh's
/// (no selector, in the root namespace); a level whose mode is UNSET or
/// absent inherits the one above; PERMISSIVE when nothing says otherwise.
/// `portLevelMtls` of the workload policy overrides per workload port
/// (UNSET there inherits the workload's mode). Of several policies at one
/// level the first in the documented order (file, then position) wins, as
/// Istio takes the oldest.
package struct PeerModes: Sendable {
    /// The workload-wide mode.
    package var mode: PeerMode
    /// Workload port → mode, where portLevelMtls says.
    package var ports: [Int: PeerMode]
    /// The policy that decided `mode` (nil: the default), for messages.
    package var source: Resource?

    /// The mode of workload port `port`.
    package func mode(_ port: Int) -> PeerMode { ports[port] ?? mode }
}

extension MeshIndex {
    /// True when the repository has any PeerAuthentication: meshc builds mesh
    /// mTLS (sidecar inbound TLS, auto-mTLS) only then, since without one no
    /// proxy is expected to have certificates (see the README's mTLS section).
    package var hasPeerAuthentication: Bool { !resources(of: .peerAuthentication).isEmpty }

    /// The effective modes of a workload in `namespace` carrying `labels`.
    package func peerModes(namespace: String, labels: StringMap) -> PeerModes {
        let policies = resources(of: .peerAuthentication)
            .sorted { ($0.file, $0.mark.line, $0.mark.column) < ($1.file, $1.mark.line, $1.mark.column) }
            .compactMap { resource -> (Resource, PeerAuthenticationSpec)? in
                guard case .peerAuthentication(let spec) = resource.body else { return nil }
                return (resource, spec)
            }
        func unselected(_ spec: PeerAuthenticationSpec) -> Bool { spec.selector?.matchLabels.isEmpty ?? true }
        let mesh = policies.first { $0.0.namespace == config.rootNamespace && unselected($0.1) }
        let space = policies.first { $0.0.namespace == namespace && unselected($0.1) && namespace != config.rootNamespace }
        let workload = policies.first { policy in
            guard policy.0.namespace == namespace, let selector = policy.1.selector, !selector.matchLabels.isEmpty else { return false }
            return selector.matchLabels.selects(labels)
        }
        var result = PeerModes(mode: .permissive, ports: [:], source: nil)
        for level in [mesh, space, workload].compactMap({ $0 }) {
            if let mode = Self.mode(level.1.mtlsMode) {
                result.mode = mode
                result.source = level.0
            }
        }
        if let workload {
            for (key, value) in workload.1.portLevelMtls {
                guard let port = Int(key.value) else { continue }
                result.ports[port] = Self.mode(value) ?? result.mode
            }
        }
        return result
    }

    /// A written mode; nil for UNSET, absent or unknown (field validation reports unknown ones).
    private static func mode(_ value: Located<String>?) -> PeerMode? {
        value.flatMap { PeerMode(rawValue: $0.value) }
    }
}
