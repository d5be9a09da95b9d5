import MeshDiagnostics
import MeshSnapshot

/// An updated route configuration reduced to the virtual hosts that differ.
///
/// A sidecar's outbound route configuration holds a virtual host per service
/// (10,000 in the benchmark mesh, 24 MB); a change touches a few. Each
/// virtual host's digest is in the snapshot, so hosts with the same version
/// on both sides are left out without looking at them: only the others are
/// parsed and described. The rest of the configuration is kept as it is.
enum VirtualHostTrim {
    /// `running` and `desired` with their identical virtual hosts left out;
    /// nil when either has no virtual host digests (then the whole is parsed).
    static func trimmed(running: EnvoyResource, desired: EnvoyResource) -> (running: JSON, desired: JSON)? {
        guard !running.virtualHosts.isEmpty, !desired.virtualHosts.isEmpty else { return nil }
        let oldVersions = Set(running.virtualHosts.map(\.version)), newVersions = Set(desired.virtualHosts.map(\.version))
        guard let old = rebuilt(running, keeping: { !newVersions.contains($0.version) }),
              let new = rebuilt(desired, keeping: { !oldVersions.contains($0.version) }) else { return nil }
        return (old, new)
    }

    /// The configuration's bytes with only the hosts `keep` accepts, parsed.
    static func rebuilt(_ resource: EnvoyResource, keeping keep: (VirtualHostDigest) -> Bool) -> JSON? {
        resource.keepingHosts(keep).flatMap { try? JSON.parse($0) }
    }
}
