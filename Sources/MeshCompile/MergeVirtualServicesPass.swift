import MeshValidate

/// Merges the VirtualServices bound to each gateway host. Per listener port,
/// each virtual host domain collects the http rules of every VirtualService
/// that serves it, in the documented order (file path, then position; git
/// has no creation timestamps to order by, as Istio does).
///
/// The domain is the narrower of the VirtualService host and the server
/// host (`*` on the VirtualService and `a.example.com` on the Gateway give
/// `a.example.com`), as Istio does.
enum MergeVirtualServicesPass {
    static func run(_ state: inout CompileState) {
        for p in state.proxies.indices {
            var ports: [Int: PortRoutes] = [:]
            /// (VirtualService, port, domain) already merged: two servers of one port must not add the rules twice.
            var merged = Set<MergeKey>()
            for server in state.proxies[p].servers {
                var routes = ports[server.port] ?? PortRoutes(port: server.port)
                for vs in state.virtualServices where vs.gateways.contains(server.gatewayKey) {
                    for domain in domains(vs, server) {
                        let key = MergeKey(virtualService: ObjectIdentifier(vs.resource), port: server.port, domain: domain)
                        guard merged.insert(key).inserted else { continue }
                        let rules = vs.spec.http.enumerated().map { position, rule in
                            RuleRef(virtualService: vs, rule: rule, position: position, gatewayKey: server.gatewayKey, port: server.port)
                        }
                        routes.virtualHosts[domain, default: []] += rules
                    }
                }
                ports[server.port] = routes
            }
            state.proxies[p].ports = ports
        }
    }

    private struct MergeKey: Hashable {
        let virtualService: ObjectIdentifier
        let port: Int
        let domain: String
    }

    /// The domains where `vs` meets `server`'s hosts, sorted.
    static func domains(_ vs: BoundVirtualService, _ server: BoundServer) -> [String] {
        var result = Set<String>()
        for host in vs.hosts {
            for allowed in server.hosts {
                if let namespace = allowed.namespace, namespace != vs.resource.namespace { continue }
                if Hosts.covers(allowed.host, host) {
                    result.insert(host)
                } else if Hosts.covers(host, allowed.host) {
                    result.insert(allowed.host)
                }
            }
        }
        return result.sorted()
    }
}
