import MeshDiagnostics
import MeshModel

/// A Gateway named in a VirtualService's `gateways` (never `mesh`).
struct GatewayBinding {
    var ref: Located<String>
    var index: Int
    var namespace: String
    var name: String
    /// Index into `MeshIndex.gateways` of the Gateway it names; nil when there is none.
    var gateway: Int?

    /// `namespace/name`.
    var key: String { "\(namespace)/\(name)" }
}

extension VirtualServiceSpec {
    /// True when the sidecars of the mesh apply it: no `gateways`, or `mesh` among them.
    var isMeshBound: Bool {
        gateways.isEmpty || gateways.contains { $0.value == MeshRoutes.meshGateway }
    }
}

/// Shared lookups for the routing analyzers.
enum MeshRoutes {
    /// The reserved gateway name for the sidecars of the mesh.
    static let meshGateway = "mesh"
}

extension MeshIndex {
    /// FQDN of the implicit ingress gateway Service.
    var implicitIngressHost: String { serviceTable.implicitIngressHost }

    /// True when some Service or ServiceEntry host intersects `pattern` (an
    /// FQDN with host ID `id`, that may be a wildcard).
    func anyServiceIntersects(_ pattern: String, id: HostTable.ID) -> Bool {
        if serviceTable.target(forHost: id, named: pattern) != nil { return true }
        guard pattern.hasPrefix("*") else { return false }
        if serviceTable.services.contains(where: { Hosts.covers(pattern, fqdn($0.resource.name, namespace: $0.resource.namespace)) })
            || Hosts.covers(pattern, implicitIngressHost) { return true }
        return serviceEntries.contains { entry in
            entry.spec.hosts.contains { Hosts.intersect(pattern, fqdn($0.value, namespace: entry.resource.namespace)) }
        }
    }

    /// True when a DestinationRule for host `id` (exact, or a wildcard covering
    /// `host`, its name) defines `subset`.
    func subsetExists(_ subset: String, host id: HostTable.ID, named host: String) -> Bool {
        if rules(forHost: id).contains(where: { defines(destinationRules[$0].spec, subset) }) { return true }
        return wildcardRuleHosts.contains { pattern in
            Hosts.covers(hosts[pattern], host) && rules(forHost: pattern).contains { defines(destinationRules[$0].spec, subset) }
        }
    }

    private func defines(_ spec: DestinationRuleSpec, _ subset: String) -> Bool {
        spec.subsets.contains { $0.name?.value == subset }
    }
}
