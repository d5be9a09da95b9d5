import MeshDiagnostics
import MeshIR
import MeshModel
import MeshValidate

/// Lowers a gateway's non-HTTP servers: TLS passthrough servers get one
/// filter chain per `tls` rule SNI set, TCP servers (and TLS servers that
/// terminate) the first `tcp` rule that applies, from the VirtualServices
/// bound to the Gateway (documented order).
enum GatewayStreamsPass {
    static func run(_ state: inout CompileState) {
        for p in state.proxies.indices {
            var streams: [Int: [FilterChain]] = [:]
            var keys: [String: ClusterKey] = [:]
            for server in state.proxies[p].servers where !server.isHTTP {
                var chains = streams[server.port] ?? []
                let bound = state.virtualServices.filter {
                    $0.gateways.contains(server.gatewayKey) && !MergeVirtualServicesPass.domains($0, server).isEmpty
                }
                if server.isPassthrough {
                    chains += passthrough(server, bound, &keys, &state)
                } else if let chain = tcp(server, bound, &keys, &state) {
                    chains.append(chain)
                }
                streams[server.port] = chains
            }
            state.proxies[p].streams = streams
            state.proxies[p].streamClusters = keys
        }
    }

    private static func passthrough(_ server: BoundServer, _ bound: [BoundVirtualService], _ keys: inout [String: ClusterKey],
                                    _ state: inout CompileState) -> [FilterChain] {
        var chains: [FilterChain] = []
        for vs in bound {
            for rule in vs.spec.tls {
                for match in rule.match where applies(match.gateways, match.port?.value, server, vs) {
                    let names = match.sniHosts.map(\.value).filter { sni in server.hosts.contains { Hosts.covers($0.host, sni) } }
                    guard !names.isEmpty else { continue }
                    guard let shares = shares(rule.route, vs, at: rule.mark, &keys, &state) else { continue }
                    chains.append(FilterChain(serverNames: Array(Set(names)).sorted(), action: .tcp(shares)))
                }
            }
        }
        if chains.isEmpty {
            state.note("TLS passthrough server on port \(server.port) has no tls route with matching sniHosts; nothing is served there",
                       in: server.gateway, at: server.server.mark)
        }
        return chains
    }

    private static func tcp(_ server: BoundServer, _ bound: [BoundVirtualService], _ keys: inout [String: ClusterKey],
                            _ state: inout CompileState) -> FilterChain? {
        let tls = server.protocol == "TLS" ? ServerTLSLowering.tls(server, &state) : nil
        if server.protocol == "TLS", tls == nil { return nil }
        for vs in bound {
            for rule in vs.spec.tcp {
                let applies = rule.match.isEmpty || rule.match.contains { self.applies($0.gateways, $0.port?.value, server, vs) }
                guard applies, let shares = shares(rule.route, vs, at: rule.mark, &keys, &state) else { continue }
                return FilterChain(serverNames: tls == nil ? [] : ServerTLSLowering.serverNames(server), tls: tls, action: .tcp(shares))
            }
        }
        state.note("\(server.protocol) server on port \(server.port) has no tcp route bound to it; nothing is served there",
                   in: server.gateway, at: server.server.mark)
        return nil
    }

    /// A match's `gateways` and `port` conditions against this server.
    private static func applies(_ gateways: [Located<String>], _ port: Int?, _ server: BoundServer, _ vs: BoundVirtualService) -> Bool {
        if let port, port != server.port { return false }
        guard !gateways.isEmpty else { return true }
        return gateways.contains { written in
            let parts = Hosts.gatewayRef(written.value, defaultNamespace: vs.resource.namespace)
            return "\(parts.namespace)/\(parts.name)" == server.gatewayKey
        }
    }

    /// The weighted clusters of a rule's destinations; their keys go to `keys` by name, for lowering.
    private static func shares(_ routes: [RouteDestination], _ vs: BoundVirtualService, at mark: Mark,
                               _ keys: inout [String: ClusterKey], _ state: inout CompileState) -> [WeightedCluster]? {
        let shares = ResolveDestinationsPass.resolve(routes, in: vs.resource, &state).filter { $0.weight > 0 }
        for share in shares { keys[share.key.name] = share.key }
        guard !shares.isEmpty else {
            state.note("the rule has no destination with a weight above 0; it is left out", in: vs.resource, at: mark)
            return nil
        }
        return shares.map { WeightedCluster(cluster: $0.key.name, weight: $0.weight) }
    }
}
