import MeshIR

/// Lowers every proxy to IR. Gateways: one listener per server port, with a
/// filter chain per route table (plain HTTP, each terminating HTTPS server by
/// SNI) and per TCP/TLS stream; one virtual host per merged domain.
/// Sidecars: see `SidecarLowering`. Each proxy gets the clusters its routes name.
enum LowerPass {
    static func run(_ state: inout CompileState) {
        for proxy in state.proxies { state.output.append(gateway(proxy, &state)) }
        for sidecar in state.sidecars { state.output.append(SidecarLowering.lower(sidecar, &state)) }
    }

    private static func gateway(_ proxy: GatewayProxy, _ state: inout CompileState) -> ProxyConfig {
        let declaration = proxy.declaration
        var listeners: [Listener] = []
        var routeConfigs: [RouteConfig] = []
        var streamKeys: [ClusterKey] = []
        for port in Set(proxy.servers.map(\.port)).sorted() {
            let servers = proxy.servers.enumerated().filter { $0.element.port == port }
            var chains: [FilterChain] = []
            for (_, server) in servers where server.isHTTP {
                let name = MergeVirtualServicesPass.routeTableName(server)
                if server.protocol == "HTTPS" {
                    guard let tls = ServerTLSLowering.tls(server, &state) else { continue }
                    chains.append(FilterChain(serverNames: ServerTLSLowering.serverNames(server), tls: tls, action: .http(routeConfig: name)))
                } else if !chains.contains(where: { $0.action == .http(routeConfig: name) }) {
                    chains.append(FilterChain(action: .http(routeConfig: name)))
                }
            }
            chains += proxy.streams[port] ?? []
            chains = unique(chains, proxy: proxy, port: port, &state)
            guard !chains.isEmpty else { continue }
            for chain in chains {
                if case .tcp(let shares) = chain.action { streamKeys += shares.compactMap { proxy.streamClusters[$0.cluster] } }
            }
            let address = servers.first?.element.server.bind?.value ?? declaration.address
            let listenPort = declaration.listenPort(port)
            chains = AuthorizationPass.authorize(chains, proxy: proxy.name, port: port, listenPort: listenPort, &state)
            var listener = Listener(name: "\(address)_\(listenPort)", address: address, port: listenPort, chains: chains)
            // A gateway's requests are its client side (Istio: CLIENT mode).
            listener.telemetry = TelemetryPass.listener(proxy.name, .client, state)
            listeners.append(listener)
        }
        // The last compile's hosts of this gateway, when its clusters stand (only VirtualServices changed).
        let earlier = state.reusable?.proxies[proxy.name]
        var memo = LoweredProxy()
        let names = proxy.routeTables.keys.sorted()
        // Cold (no earlier hosts): every host of every table is lowered, on every core (two 1,000-host
        // gateways at 10k), in the loop's order below; the notes are put back in host order.
        let hostRules = names.flatMap { name in proxy.routeTables[name]!.virtualHosts.sorted { $0.key < $1.key }.map(\.value) }
        let cold = earlier == nil ? state.parallelMap(hostRules) { refs, local in RouteLowering.routes(refs, proxy: proxy, &local) } : nil
        var position = 0
        for name in names {
            let table = proxy.routeTables[name]!
            var virtualHosts: [VirtualHost] = []
            for domain in table.virtualHosts.keys.sorted() {
                let refs = table.virtualHosts[domain]!
                let done = cold?[position]
                position += 1
                let lowered = memo.host(name + "\u{0}" + domain, LoweredProxy.Key(domains: [domain], origin: nil, rules: refs),
                                        earlier: earlier, &state) { state in
                    guard let done else { return RouteLowering.routes(refs, proxy: proxy, &state) }
                    state.notes += done.notes
                    return done.result
                }
                guard !lowered.routes.isEmpty else { continue }
                virtualHosts.append(VirtualHost(name: "\(domain):\(table.port)", domains: [domain], routes: lowered.routes,
                                                requireTLS: table.redirects(domain)))
            }
            // A redirecting server's hosts redirect even where no VirtualService routes them (Istio adds such virtual hosts).
            for domain in table.redirectDomains.sorted() where table.virtualHosts[domain] == nil {
                virtualHosts.append(VirtualHost(name: "\(domain):\(table.port)", domains: [domain], routes: [], requireTLS: true))
            }
            virtualHosts.sort { $0.name < $1.name }
            routeConfigs.append(RouteConfig(name: name, virtualHosts: virtualHosts))
        }
        noteFileWatches(proxy, routeConfigs: routeConfigs.count, listeners: listeners, &state)
        let clusters = memo.clusters(extraKeys: streamKeys, extra: [], listeners: listeners, earlier: earlier) { [state] used in
            AuthorizationPass.withPolicyClusters(state.clusters(for: used), listeners, state)
        }
        var config = ProxyConfig(name: proxy.name, role: .gateway, adminPort: declaration.adminPort, agentAddress: declaration.agentAddress, identity: declaration.identity,
                           listeners: listeners, routeConfigs: AuthorizationPass.routed(routeConfigs, listeners), clusters: clusters)
        config.workloadTags = declaration.workloadTags
        if state.recordsMemo { state.loweredProxies[proxy.name] = memo }
        return config
    }

    /// Files past which a gateway's note warns: Envoy watches CDS, LDS and
    /// each route configuration's and secret's file with an inotify instance
    /// of its own, a Linux user has 128 by default (`fs.inotify.max_user_instances`),
    /// and Envoy aborts when it runs out; the agent refuses such a snapshot.
    static let fileWatchWarning = 100

    private static func noteFileWatches(_ proxy: GatewayProxy, routeConfigs: Int, listeners: [Listener], _ state: inout CompileState) {
        let secrets = listeners.reduce(into: Set<String>()) { $0.formUnion($1.secretNames) }
        let watched = 2 + routeConfigs + secrets.count
        guard watched > fileWatchWarning, let server = proxy.servers.first else { return }
        state.note("gateway \(proxy.name) has Envoy watch \(watched) files (\(routeConfigs) route configurations, \(secrets.count) secrets, "
                   + "CDS and LDS), an inotify instance each; Linux gives a user 128 by default (fs.inotify.max_user_instances) and Envoy aborts "
                   + "without one, so the agent refuses the snapshot when its host has fewer free: raise the limit on the proxy's host, or "
                   + "split these servers (a route configuration per HTTP port and per HTTPS server) across more gateways", in: server.gateway, at: server.server.mark)
    }

    /// Envoy rejects two chains with the same match: the first (documented order) keeps the SNI set.
    private static func unique(_ chains: [FilterChain], proxy: GatewayProxy, port: Int, _ state: inout CompileState) -> [FilterChain] {
        var seen = Set<[String]>()
        var result: [FilterChain] = []
        for chain in chains {
            if seen.insert(chain.serverNames).inserted {
                result.append(chain)
            } else if let server = proxy.servers.first(where: { $0.port == port }) {
                let names = chain.serverNames.isEmpty ? "any server name" : chain.serverNames.joined(separator: ", ")
                state.note("two servers or routes on port \(port) serve \(names); the first one wins", in: server.gateway, at: server.server.mark)
            }
        }
        return result
    }
}
