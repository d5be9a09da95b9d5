import MeshDiagnostics
import MeshModel

/// IST0132: a VirtualService bound to a Gateway names hosts the Gateway does
/// not serve, so the Gateway never applies those routes.
///
/// As istioctl: a bound Gateway none of whose server hosts (visible to the
/// VirtualService's namespace: `ns/host`, `./host`, `*/host`) matches any
/// VirtualService host is reported at the `gateways` entry. Beyond istioctl,
/// when every Gateway serves something, each VirtualService host no bound
/// Gateway serves is reported at the host (unless the mesh is bound too,
/// where such hosts are for sidecars). Missing Gateways are IST0101's.
struct GatewayHostAnalyzer: Analyzer {
    let codes = [Codes.virtualServiceHostNotFoundInGateway]
    let reads: Set<ResourceKind>? = [.virtualService, .gateway]
    let perVirtualService = true

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for vs in mesh.virtualServices where !vs.gatewayBindings.isEmpty {
            let resource = vs.resource, spec = vs.spec, bindings = vs.gatewayBindings
            var served: [String] = []
            var complete = true
            for binding in bindings {
                guard let index = binding.gateway else {
                    complete = false
                    continue
                }
                let hosts = visibleHosts(mesh.gatewayTable.serverHosts[index], gatewayNamespace: mesh.gateways[index].resource.namespace,
                                         to: resource.namespace)
                if spec.hosts.indices.contains(where: { i in hosts.contains { serves($0, i, vs) } }) {
                    served.append(contentsOf: hosts)
                    continue
                }
                complete = false
                let listed = spec.hosts.map(\.value).joined(separator: ", ")
                sink.report(Codes.virtualServiceHostNotFoundInGateway, resource, at: binding.ref.mark,
                            path: "spec.gateways[\(binding.index)]",
                            "Gateway \(binding.key) serves none of the hosts [\(listed)] (it serves [\(hosts.joined(separator: ", "))])",
                            hint: "Add the host to a server of the Gateway, or bind the VirtualService to the Gateway that serves it")
            }
            guard complete, !vs.isMeshBound else { continue }
            for (i, host) in spec.hosts.enumerated() where !served.contains(where: { serves($0, i, vs) }) {
                sink.report(Codes.virtualServiceHostNotFoundInGateway, resource, at: host.mark, path: "spec.hosts[\(i)]",
                            "host \(host.value) is served by none of the bound Gateways, so its routes never apply",
                            hint: "Add the host to a server of a bound Gateway, or remove it from the VirtualService")
            }
        }
    }

    /// Server hosts of `gateway` that a VirtualService in `namespace` may bind, namespace parts removed.
    private func visibleHosts(_ serverHosts: [(namespace: String?, host: String)], gatewayNamespace: String,
                              to namespace: String) -> [String] {
        serverHosts.compactMap { parts in
            switch parts.namespace {
            case nil, "*": return parts.host
            case ".": return gatewayNamespace == namespace ? parts.host : nil
            case let other?: return other == namespace ? parts.host : nil
            }
        }
    }

    /// True when a gateway host matches the VirtualService's host `index`, as written or FQDN-resolved.
    private func serves(_ gatewayHost: String, _ index: Int, _ vs: RoutedVirtualService) -> Bool {
        Hosts.intersect(gatewayHost, vs.spec.hosts[index].value) || Hosts.intersect(gatewayHost, vs.hosts[index])
    }
}
