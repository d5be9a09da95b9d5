import MeshIR

/// The gateway the snapshot tests build: one listener on 8080 reading the
/// route configuration `http.80`, clusters with one static endpoint each.
enum TestGateway {
    /// A host routing every request to `cluster`.
    static func host(_ name: String, domains: [String], cluster: String) -> VirtualHost {
        VirtualHost(name: name, domains: domains, routes: [
            Route(name: "r", match: RouteMatch(path: .prefix("/")), action: .cluster(cluster),
                  source: Route.Source(file: "vs.yaml", line: 1, virtualService: "vs.default")),
        ])
    }

    /// `hosts` in `http.80`; `clusters` (by default the ones the hosts route to, sorted).
    static func proxy(_ hosts: [VirtualHost], clusters: [String]? = nil) -> ProxyConfig {
        let named = clusters ?? Set(hosts.flatMap { $0.routes.compactMap { route -> String? in
            if case .cluster(let name) = route.action { return name } else { return nil }
        } }).sorted()
        return ProxyConfig(
            name: "gw", role: .gateway, adminPort: 15000,
            listeners: [Listener(name: "127.0.0.1_8080", address: "127.0.0.1", port: 8080, routeConfigName: "http.80")],
            routeConfigs: [RouteConfig(name: "http.80", virtualHosts: hosts)],
            clusters: named.map { Cluster(name: $0, endpoints: [Endpoint(address: "127.0.0.1", port: 9000)], discovery: .static) })
    }
}
