import MeshDiagnostics
import MeshIR

/// Lowers a sidecar: the outbound listener (`<address>_<outboundPort>`, route
/// configuration `outbound`, one virtual host per reachable HTTP service
/// port), a TCP listener per non-HTTP service port, and one inbound listener
/// per fronted workload port (route configuration and cluster `inbound|<port>||`;
/// its filter chains as PeerAuthentication says, `PeerAuthenticationPass`).
enum SidecarLowering {
    static func lower(_ sidecar: SidecarProxy, _ state: inout CompileState) -> ProxyConfig {
        let declaration = sidecar.declaration
        let owner = sidecar.asRouteOwner
        var virtualHosts: [VirtualHost] = []
        // The last compile's hosts of this sidecar, when its clusters stand (only VirtualServices changed).
        let earlier = state.reusable?.proxies[declaration.name]
        var memo = LoweredProxy()
        // Cold (no earlier hosts): every host is lowered, on every core; the notes are put back in host order.
        let cold = earlier == nil ? state.parallelMap(sidecar.outbound) { host, local in outbound(host, owner: owner, &local) } : nil
        for (i, host) in sidecar.outbound.enumerated() {
            let lowered = memo.host(host.name, LoweredProxy.Key(host), earlier: earlier, &state) { state in
                guard let done = cold?[i] else { return outbound(host, owner: owner, &state) }
                state.notes += done.notes
                return done.result
            }
            guard !lowered.routes.isEmpty, !host.domains.isEmpty else { continue }
            virtualHosts.append(VirtualHost(name: host.name, domains: host.domains, routes: lowered.routes))
        }
        let outboundPort = declaration.outboundPort
        var listeners = [Listener(name: declaration.listenerName(outboundPort), address: declaration.address, port: outboundPort,
                                  routeConfigName: "outbound", stripsHostPort: false)]
        var routeConfigs = [RouteConfig(name: "outbound", virtualHosts: virtualHosts)]
        var tcpKeys: [ClusterKey] = []
        // A port the proxy already listens on (outbound, inbound) keeps its listener.
        for tcp in sidecar.tcpOutbound where tcp.port != outboundPort && !sidecar.inbound.contains(where: { $0.listenPort == tcp.port }) {
            listeners.append(Listener(name: declaration.listenerName(tcp.port), address: declaration.address, port: tcp.port,
                                      chains: [FilterChain(action: .tcp([WeightedCluster(cluster: tcp.cluster.name, weight: 100)]))]))
            tcpKeys.append(tcp.cluster)
        }
        for inbound in sidecar.inbound {
            let name = inbound.cluster.name
            // PeerAuthentication decides the chains: mTLS only, mTLS beside plain text (TLS inspector), or plain text.
            let mode = state.peerModes[declaration.name]?.mode(inbound.port)
            listeners.append(Listener(name: declaration.listenerName(inbound.listenPort), address: declaration.address, port: inbound.listenPort,
                                      chains: AuthorizationPass.authorize(PeerAuthenticationPass.inboundChains(mode, routeConfig: name),
                                                                          proxy: declaration.name, port: inbound.port,
                                                                          listenPort: inbound.listenPort, &state)))
            let route = Route(name: "default", match: RouteMatch(), action: .cluster(name),
                              source: Route.Source(file: declaration.resource?.file ?? "", line: Int(declaration.resource?.mark.line ?? 0),
                                                   virtualService: ""))
            routeConfigs.append(RouteConfig(name: name, virtualHosts: [VirtualHost(name: "inbound|http|\(inbound.port)", domains: ["*"],
                                                                                   routes: [route])]))
        }
        // Inbound listeners serve the workload (SERVER); the others are its outbound side (CLIENT).
        let inboundPorts = Set(sidecar.inbound.map(\.listenPort))
        for i in listeners.indices {
            listeners[i].telemetry = TelemetryPass.listener(declaration.name, inboundPorts.contains(listeners[i].port) ? .server : .client, state)
        }
        let inboundClusters = sidecar.inbound.map(\.cluster)
        let clusters = memo.clusters(extraKeys: tcpKeys, extra: inboundClusters, listeners: listeners, earlier: earlier) { [state] used in
            var list = state.clusters(for: used)
            // The clusters of `used` come in name order; `inbound|…` names sort before them all, so the
            // inbound clusters go in front (one move) instead of after them and a sort of 26,000 clusters.
            let inbound = inboundClusters.sorted { $0.name < $1.name }
            var inOrder = inbound.isEmpty
            if let last = inbound.last, let first = list.first, last.name < first.name {
                list.insert(contentsOf: inbound, at: 0)
                inOrder = true
            } else {
                list += inbound
            }
            let count = list.count
            list = AuthorizationPass.withPolicyClusters(list, listeners, state)
            // In order when nothing came after; else checked (cheaper than moving 26,000 clusters), sorted if not.
            if !(inOrder && list.count == count), !list.isSorted(by: { $0.name < $1.name }) { list.sort { $0.name < $1.name } }
            return list
        }
        if state.recordsMemo { state.loweredProxies[declaration.name] = memo }
        var config = ProxyConfig(name: declaration.name, role: .sidecar, adminPort: declaration.adminPort, agentAddress: declaration.agentAddress, identity: declaration.identity,
                           listeners: listeners.sorted { $0.port < $1.port }, routeConfigs: AuthorizationPass.routed(routeConfigs.sorted { $0.name < $1.name }, listeners),
                           clusters: clusters)
        config.workloadTags = declaration.workloadTags
        return config
    }

    /// The routes of one outbound host and the clusters they use.
    private static func outbound(_ host: OutboundHost, owner: GatewayProxy, _ state: inout CompileState) -> (routes: [Route], used: [ClusterKey]) {
        guard !host.rules.isEmpty else { return ([defaultRoute(to: host.defaultCluster.name, origin: host)], [host.defaultCluster]) }
        return RouteLowering.routes(host.rules, proxy: owner, &state)
    }

    /// Istio's route for a service no VirtualService names: everything to the service, default retries.
    private static func defaultRoute(to cluster: String, origin: OutboundHost) -> Route {
        Route(name: "default", match: RouteMatch(), action: .cluster(cluster), retries: RouteLowering.retries(nil),
              source: Route.Source(file: origin.origin.file, line: Int(origin.origin.mark.line), virtualService: ""))
    }
}
