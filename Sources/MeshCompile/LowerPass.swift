import MeshIR

/// Lowers each gateway proxy to IR: one listener and route configuration per
/// server port, one virtual host per merged domain, the clusters its routes name.
enum LowerPass {
    static func run(_ state: inout CompileState) {
        for (offset, proxy) in state.proxies.enumerated() {
            var listeners: [Listener] = []
            var routeConfigs: [RouteConfig] = []
            var used = Set<ClusterKey>()
            for port in proxy.ports.keys.sorted() {
                let routes = proxy.ports[port]!
                let listenPort = port + state.options.portOffset
                let routeConfigName = "http.\(port)"
                listeners.append(Listener(name: "\(state.options.listenAddress)_\(listenPort)", address: state.options.listenAddress,
                                          port: listenPort, routeConfigName: routeConfigName))
                var virtualHosts: [VirtualHost] = []
                for domain in routes.virtualHosts.keys.sorted() {
                    var lowered: [Route] = []
                    for ref in routes.virtualHosts[domain]! {
                        lowered += RouteLowering.routes(ref, proxy: proxy, &state)
                        for destination in state.destinations[ObjectIdentifier(ref.rule)] ?? [] { used.insert(destination.key) }
                    }
                    guard !lowered.isEmpty else { continue }
                    virtualHosts.append(VirtualHost(name: "\(domain):\(port)", domains: [domain], routes: lowered))
                }
                routeConfigs.append(RouteConfig(name: routeConfigName, virtualHosts: virtualHosts))
            }
            let clusters = used.sorted().compactMap { state.clusters[$0] }
            state.output.append(ProxyConfig(name: proxy.name, role: .gateway, adminPort: state.options.adminPort + offset,
                                            listeners: listeners, routeConfigs: routeConfigs.sorted { $0.name < $1.name },
                                            clusters: clusters))
        }
    }
}
