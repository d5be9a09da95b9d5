import MeshDiagnostics
import MeshModel

/// IST0140: a mesh VirtualService splits a host into subsets, but a
/// Gateway-bound VirtualService routes to the same host without a subset.
/// Ingress traffic is routed by the Gateway's VirtualService alone, so the
/// mesh's subset rules do not reach it. As istioctl's DestinationHostAnalyzer,
/// reported on the ingress VirtualService at the destination host.
struct IngressSubsetAnalyzer: Analyzer {
    let codes = [Codes.ingressRouteRulesNotAffected]
    let reads: Set<ResourceKind>? = [.virtualService]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        report(mesh, only: nil, &sink)
    }

    /// A change that adds or removes no mesh VirtualService routing to subsets leaves the findings
    /// about the others as they were: only those are read across VirtualServices.
    func keepsOthers(added: [RoutedVirtualService], removed: [RoutedVirtualService]) -> Bool {
        !(added + removed).contains { $0.isMeshBound && !$0.subsetRoutedHostIDs.isEmpty }
    }

    func analyze(_ mesh: MeshIndex, subjects: Set<ObjectIdentifier>, _ sink: inout DiagnosticSink) {
        report(mesh, only: subjects, &sink)
    }

    /// Reports on the ingress VirtualServices in `subjects` (all when nil).
    private func report(_ mesh: MeshIndex, only subjects: Set<ObjectIdentifier>?, _ sink: inout DiagnosticSink) {
        let ingress = mesh.virtualServices.filter { vs in
            !vs.gatewayBindings.isEmpty && subjects.map { $0.contains(ObjectIdentifier(vs.resource)) } ?? true
        }
        guard !ingress.isEmpty else { return }
        // With subjects, only the hosts they send to are looked up (not a table of every mesh VirtualService's).
        let wanted = subjects == nil ? nil : Set(ingress.flatMap { $0.destinations.map(\.hostID) })
        // Host ID → mesh VirtualServices that route it to subsets, in resource order.
        var subsetRouted: [HostTable.ID: [Resource]] = [:]
        for vs in mesh.virtualServices where vs.isMeshBound && !vs.subsetRoutedHostIDs.isEmpty {
            for id in vs.subsetRoutedHostIDs where wanted?.contains(id) ?? true { subsetRouted[id, default: []].append(vs.resource) }
        }
        guard !subsetRouted.isEmpty else { return }
        for vs in ingress {
            let resource = vs.resource
            for resolved in vs.destinations {
                let sited = resolved.sited, fqdn = resolved.fqdn
                guard case .http = sited.site, sited.destination.subset == nil, let routed = subsetRouted[resolved.hostID] else { continue }
                let meshServices = routed.filter { $0.namespace != resource.namespace || $0.name != resource.name }
                guard !meshServices.isEmpty else { continue }
                let names = meshServices.map { "\($0.namespace)/\($0.name)" }.joined(separator: ", ")
                sink.report(Codes.ingressRouteRulesNotAffected, resource, at: sited.host.mark, path: sited.site.path + ".host",
                            "ingress traffic to \(fqdn) is not split by the subset routing of mesh VirtualService \(names)",
                            hint: "Route to a subset here as well, or add the Gateway to the mesh VirtualService's gateways")
            }
        }
    }
}
