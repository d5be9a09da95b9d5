import MeshDiagnostics
import MeshModel

/// IST0140: a mesh VirtualService splits a host into subsets, but a
/// Gateway-bound VirtualService routes to the same host without a subset.
/// Ingress traffic is routed by the Gateway's VirtualService alone, so the
/// mesh's subset rules do not reach it. As istioctl's DestinationHostAnalyzer,
/// reported on the ingress VirtualService at the destination host.
struct IngressSubsetAnalyzer: Analyzer {
    let codes = [Codes.ingressRouteRulesNotAffected]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let services = mesh.routedVirtualServices
        // FQDN host → mesh VirtualServices that route it to subsets, in resource order.
        var subsetRouted: [String: [Resource]] = [:]
        for (resource, spec) in services where spec.isMeshBound {
            let own = Set(spec.hosts.map { mesh.fqdn($0.value, namespace: resource.namespace) })
            var seen: Set<String> = []
            for sited in spec.sitedDestinations where sited.site.isRoute && sited.destination.subset != nil {
                let fqdn = mesh.fqdn(sited.host.value, namespace: resource.namespace)
                if own.contains(fqdn), seen.insert(fqdn).inserted { subsetRouted[fqdn, default: []].append(resource) }
            }
        }
        guard !subsetRouted.isEmpty else { return }
        for (resource, spec) in services where !spec.gatewayBindings(namespace: resource.namespace).isEmpty {
            for sited in spec.sitedDestinations {
                guard case .http = sited.site, sited.destination.subset == nil else { continue }
                let fqdn = mesh.fqdn(sited.host.value, namespace: resource.namespace)
                let meshServices = (subsetRouted[fqdn] ?? []).filter { $0.namespace != resource.namespace || $0.name != resource.name }
                guard !meshServices.isEmpty else { continue }
                let names = meshServices.map { "\($0.namespace)/\($0.name)" }.joined(separator: ", ")
                sink.report(Codes.ingressRouteRulesNotAffected, resource, at: sited.host.mark, path: sited.site.path + ".host",
                            "ingress traffic to \(fqdn) is not split by the subset routing of mesh VirtualService \(names)",
                            hint: "Route to a subset here as well, or add the Gateway to the mesh VirtualService's gateways")
            }
        }
    }
}
