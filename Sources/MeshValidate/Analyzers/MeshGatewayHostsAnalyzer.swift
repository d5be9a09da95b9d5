import MeshDiagnostics
import MeshModel

/// IST0109: two mesh-bound VirtualServices claim one host (after FQDN
/// resolution) in namespaces both are exported to; sidecars pick one at
/// random. Reported on each VirtualService, at the host it claims.
struct MeshGatewayHostsAnalyzer: Analyzer {
    let codes = [Codes.conflictingMeshGatewayVirtualServiceHosts]
    let reads: Set<ResourceKind>? = [.virtualService]

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

    /// Only mesh-bound VirtualServices claim hosts here: a change that adds
    /// or removes none (a gateway route edited) leaves the others' findings.
    func keepsOthers(added: [RoutedVirtualService], removed: [RoutedVirtualService]) -> Bool {
        !(added + removed).contains(where: \.isMeshBound)
    }

    /// Findings are about mesh-bound VirtualServices only: subjects that are
    /// none have none, without the table of every claim.
    func analyze(_ mesh: MeshIndex, subjects: Set<ObjectIdentifier>, _ sink: inout DiagnosticSink) {
        guard mesh.virtualServices.contains(where: { $0.isMeshBound && subjects.contains(ObjectIdentifier($0.resource)) }) else { return }
        wholeRun(mesh, about: subjects, &sink)
    }

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let services = mesh.virtualServices.filter(\.isMeshBound)
        let scopes = services.map { scope(of: $0.spec, namespace: $0.resource.namespace) }
        // Host ID → how many VirtualServices claim it (each once), then who they are.
        // Counting first keeps the common case (one claimant) free of allocations.
        var claimCount = [Int32](repeating: 0, count: mesh.hosts.count)
        var lastClaimant = [Int32](repeating: -1, count: mesh.hosts.count)
        for (index, vs) in services.enumerated() {
            for id in vs.hostIDs where lastClaimant[Int(id)] != Int32(index) {
                lastClaimant[Int(id)] = Int32(index)
                claimCount[Int(id)] += 1
            }
        }
        var claims: [HostTable.ID: [Int]] = [:]
        for (index, vs) in services.enumerated() {
            for id in vs.hostIDs where claimCount[Int(id)] > 1 && claims[id]?.last != index {
                claims[id, default: []].append(index)
            }
        }
        guard !claims.isEmpty else { return }
        for (index, vs) in services.enumerated() {
            var reported: Set<HostTable.ID> = []
            for (i, fqdn) in vs.hosts.enumerated() {
                // Every host claims itself; only a second claimant can conflict.
                let id = vs.hostIDs[i]
                guard let claimants = claims[id] else { continue }
                let others = claimants.filter { $0 != index && scopes[$0].overlaps(scopes[index]) }
                guard !others.isEmpty, reported.insert(id).inserted else { continue }
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
