import MeshValidate

/// Merges the VirtualServices bound to each gateway host. Per route table
/// (`http.<port>` for the plain HTTP servers of a port, one
/// `https.<port>.<server>.<gateway>.<namespace>` per HTTPS server that
/// terminates TLS, as Istio names them), each virtual host domain collects the http rules of every VirtualService
/// that serves it, in the documented order (file path, then position; git
/// has no creation timestamps to order by, as Istio does).
///
/// The domain is the narrower of the VirtualService host and the server
/// host (`*` on the VirtualService and `a.example.com` on the Gateway give
/// `a.example.com`), as Istio does.
enum MergeVirtualServicesPass {
    static func run(_ state: inout CompileState) {
        // Gateway → the VirtualServices naming it, in merge order: a server reads its own, not every
        // VirtualService (a gateway proxy of the 10k mesh has 1,000 servers and 1,000 bound VirtualServices).
        var byGateway: [String: [Int]] = [:]
        for (position, vs) in state.virtualServices.enumerated() {
            for gateway in Set(vs.gateways) { byGateway[gateway, default: []].append(position) }
        }
        for p in state.proxies.indices {
            var tables: [String: PortRoutes] = [:]
            /// (VirtualService, table, domain) already merged: two servers of one table must not add the rules twice.
            var merged = Set<MergeKey>()
            for server in state.proxies[p].servers where server.isHTTP {
                let name = routeTableName(server)
                // Taken out while this server adds to it: a copy left in the table would make every
                // addition copy the table's hosts (1,000 servers on port 80: quadratic).
                var routes = tables.removeValue(forKey: name) ?? PortRoutes(name: name, port: server.port)
                // Istio redirects only this server's hosts, not every host of the port.
                if server.server.tls?.httpsRedirect?.value == true { routes.redirectDomains.formUnion(server.hosts.map(\.host)) }
                for at in byGateway[server.gatewayKey] ?? [] {
                    let vs = state.virtualServices[at]
                    for domain in domains(vs, server) {
                        let key = MergeKey(virtualService: ObjectIdentifier(vs.resource), table: name, domain: domain)
                        guard merged.insert(key).inserted else { continue }
                        let rules = vs.spec.http.enumerated().map { position, rule in
                            RuleRef(virtualService: vs, rule: rule, position: position, gatewayKey: server.gatewayKey, port: server.port)
                        }
                        routes.virtualHosts[domain, default: []] += rules
                    }
                }
                tables[name] = routes
            }
            state.proxies[p].routeTables = tables
        }
    }

    /// `http.<port>`, or for an HTTPS server Istio's `https.<port>.<port name>.<gateway>.<namespace>`: stable
    /// when unrelated Gateways come and go (the port name is required on an HTTPS server; without one, the
    /// server's position in its own Gateway stands in).
    static func routeTableName(_ server: BoundServer) -> String {
        guard server.protocol == "HTTPS" else { return "http.\(server.port)" }
        let name = server.server.port?.name?.value ?? String(server.index)
        return "https.\(server.port).\(name).\(server.gateway.name).\(server.gateway.namespace)"
    }

    private struct MergeKey: Hashable {
        let virtualService: ObjectIdentifier
        let table: String
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
