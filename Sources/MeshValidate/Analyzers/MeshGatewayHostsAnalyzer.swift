import MeshDiagnostics
import MeshModel

/// IST0109: two mesh-bound VirtualServices claim one host (after FQDN
/// resolution) in namespaces both are exported to; sidecars pick one at
/// random. Reported on each VirtualService, at the host it claims.
struct MeshGatewayHostsAnalyzer: Analyzer {
    let codes = [Codes.conflictingMeshGatewayVirtualServiceHosts]

    /// Where a VirtualService is visible: everywhere, or in some namespaces.
    private enum Scope {
        case all
        case namespaces(Set<String>)

        func overlaps(_ other: Scope) -> Bool {
            switch (self, other) {
            case (.namespaces(let a), .namespaces(let b)): !a.isDisjoint(with: b)
            default: true
            }
        }
    }

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let services = mesh.virtualServices.filter(\.isMeshBound)
        let scopes = services.map { scope(of: $0.spec, namespace: $0.resource.namespace) }
        // FQDN host → the VirtualServices (indices into `services`) that claim it, each once.
        var claims: [String: [Int]] = [:]
        for (index, vs) in services.enumerated() {
            for host in vs.hosts.count > 1 ? Array(Set(vs.hosts)) : vs.hosts {
                claims[host, default: []].append(index)
            }
        }
        for (index, vs) in services.enumerated() {
            var reported: Set<String> = []
            for (i, fqdn) in vs.hosts.enumerated() {
                // Every host claims itself; only a second claimant can conflict.
                guard let claimants = claims[fqdn], claimants.count > 1 else { continue }
                let others = claimants.filter { $0 != index && scopes[$0].overlaps(scopes[index]) }
                guard !others.isEmpty, reported.insert(fqdn).inserted else { continue }
                let names = others.map { "\(services[$0].resource.namespace)/\(services[$0].resource.name)" }.joined(separator: ", ")
                sink.report(Codes.conflictingMeshGatewayVirtualServiceHosts, vs.resource, at: vs.spec.hosts[i].mark, path: "spec.hosts[\(i)]",
                            "host \(fqdn) is also claimed by mesh VirtualService \(names); sidecars apply only one of them",
                            hint: "Merge the routes into one VirtualService per host, or bind all but one to a Gateway")
            }
        }
    }

    private func scope(of spec: VirtualServiceSpec, namespace: String) -> Scope {
        let exports = spec.exportTo.map(\.value)
        if exports.isEmpty || exports.contains("*") { return .all }
        return .namespaces(Set(exports.map { $0 == "." ? namespace : $0 }))
    }
}
