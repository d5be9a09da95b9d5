import MeshModel

/// The Gateways of the mesh, in resource order, looked up by namespace and name.
struct GatewayTable {
    /// A struct key: a lookup hashes the two names it has instead of building `ns/name`.
    private struct Key: Hashable {
        var namespace: String
        var name: String
    }

    /// Gateways in resource order, with their specs.
    let gateways: [(resource: Resource, spec: GatewaySpec)]
    /// Per gateway, every server host split into its `namespace/` part (nil
    /// when absent) and host, in server then host order: split once here,
    /// not for each VirtualService that binds the Gateway.
    let serverHosts: [[(namespace: String?, host: String)]]
    /// Index into `gateways` of the last Gateway declaring each namespace/name.
    private let byKey: [Key: Int]

    init(_ resources: [Resource]) {
        var gateways: [(resource: Resource, spec: GatewaySpec)] = []
        var byKey: [Key: Int] = [:]
        for resource in resources {
            guard case .gateway(let spec) = resource.body else { continue }
            byKey[Key(namespace: resource.namespace, name: resource.name)] = gateways.count
            gateways.append((resource, spec))
        }
        self.gateways = gateways
        self.byKey = byKey
        serverHosts = gateways.map { $0.spec.servers.flatMap(\.hosts).map { Hosts.splitNamespace($0.value) } }
    }

    /// Index into `gateways` of Gateway `namespace/name`.
    func index(namespace: String, name: String) -> Int? { byKey[Key(namespace: namespace, name: name)] }

    /// The Gateway a reference (`name`, `ns/name`, `name.ns`) written in `namespace` names.
    func index(ofRef ref: String, namespace: String) -> Int? {
        let parts = Hosts.gatewayRef(ref, defaultNamespace: namespace)
        return index(namespace: parts.namespace, name: parts.name)
    }

    /// Gateways by `namespace/name` (the last one declared wins).
    var byName: [String: Resource] {
        var result: [String: Resource] = [:]
        for (_, index) in byKey { result["\(gateways[index].resource.namespace)/\(gateways[index].resource.name)"] = gateways[index].resource }
        return result
    }

    /// The Gateways a VirtualService in `namespace` binds, `mesh` left out.
    func bindings(of spec: VirtualServiceSpec, namespace: String) -> [GatewayBinding] {
        spec.gateways.enumerated().compactMap { index, ref in
            guard ref.value != MeshRoutes.meshGateway else { return nil }
            let parts = Hosts.gatewayRef(ref.value, defaultNamespace: namespace)
            return GatewayBinding(ref: ref, index: index, namespace: parts.namespace, name: parts.name,
                                  gateway: self.index(namespace: parts.namespace, name: parts.name))
        }
    }
}
