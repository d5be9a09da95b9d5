import MeshModel

/// Resolves every destination a merged rule names to a cluster key (FQDN
/// host, service port, subset). A destination without a port takes the
/// service's only port, as Istio does.
enum ResolveDestinationsPass {
    static func run(_ state: inout CompileState) {
        for proxy in state.proxies {
            for (_, routes) in proxy.routeTables {
                for (_, rules) in routes.virtualHosts {
                    for ref in rules where state.destinations[ObjectIdentifier(ref.rule)] == nil {
                        state.destinations[ObjectIdentifier(ref.rule)] = resolve(ref, &state)
                    }
                }
            }
        }
        for ref in state.destinationsPending where state.destinations[ObjectIdentifier(ref.rule)] == nil {
            state.destinations[ObjectIdentifier(ref.rule)] = resolve(ref, &state)
        }
    }

    private static func resolve(_ ref: RuleRef, _ state: inout CompileState) -> [(key: ClusterKey, weight: Int)] {
        resolve(ref.rule.route, in: ref.virtualService.resource, &state)
    }

    /// The clusters `routes` (an http, tcp or tls rule's destinations) name, with their weights.
    static func resolve(_ routes: [RouteDestination], in resource: Resource, _ state: inout CompileState) -> [(key: ClusterKey, weight: Int)] {
        var result: [(key: ClusterKey, weight: Int)] = []
        for route in routes {
            guard let destination = route.destination, let host = destination.host?.value else { continue }
            let fqdn = state.index.fqdn(host, namespace: resource.namespace)
            guard let port = destination.port?.number?.value ?? onlyPort(of: fqdn, state) else {
                state.note("destination \(fqdn) names no port and its service has not exactly one; the destination is left out",
                           in: resource, at: destination.mark)
                continue
            }
            let key = ClusterKey(host: fqdn, port: port, subset: destination.subset?.value)
            // One destination takes all traffic whatever its weight; several share by weight (missing = 0).
            let weight = routes.count == 1 ? 100 : (route.weight?.value ?? 0)
            result.append((key, weight))
            state.clusterKeys.insert(key)
        }
        return result
    }

    /// The single port of the Service or ServiceEntry providing `host`.
    static func onlyPort(of host: String, _ state: CompileState) -> Int? {
        if let service = state.servicesByHost[host] {
            let ports = service.spec.ports.compactMap { $0.port?.value }
            return ports.count == 1 ? ports[0] : nil
        }
        if let entry = EndpointResolver.serviceEntry(for: host, state) {
            let ports = entry.spec.ports.compactMap { $0.number?.value }
            return ports.count == 1 ? ports[0] : nil
        }
        return nil
    }
}
