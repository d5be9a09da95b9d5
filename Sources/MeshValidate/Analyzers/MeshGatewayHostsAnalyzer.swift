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

    private struct Claim {
        var vs: Int
        var resource: Resource
        var scope: Scope
    }

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let services = mesh.routedVirtualServices.enumerated().filter { $0.element.spec.isMeshBound }
        var claims: [String: [Claim]] = [:]
        for (index, (resource, spec)) in services {
            let scope = scope(of: spec, namespace: resource.namespace)
            for host in Set(spec.hosts.map { mesh.fqdn($0.value, namespace: resource.namespace) }) {
                claims[host, default: []].append(Claim(vs: index, resource: resource, scope: scope))
            }
        }
        for (index, (resource, spec)) in services {
            let scope = scope(of: spec, namespace: resource.namespace)
            var reported: Set<String> = []
            for (i, host) in spec.hosts.enumerated() {
                let fqdn = mesh.fqdn(host.value, namespace: resource.namespace)
                let others = (claims[fqdn] ?? []).filter { $0.vs != index && $0.scope.overlaps(scope) }
                guard !others.isEmpty, reported.insert(fqdn).inserted else { continue }
                let names = others.map { "\($0.resource.namespace)/\($0.resource.name)" }.joined(separator: ", ")
                sink.report(Codes.conflictingMeshGatewayVirtualServiceHosts, resource, at: host.mark, path: "spec.hosts[\(i)]",
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
