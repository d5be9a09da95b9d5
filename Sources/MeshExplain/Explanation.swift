import Foundation

import MeshIR

/// What a proxy does with one request, read from its compiled IR.
package struct Explanation: Sendable {
    package var proxy: String
    /// The listener the connection reaches.
    package var listener: String
    /// The chain's server names (SNI) when it matched on them.
    package var serverNames: [String]
    package var outcome: Outcome
    /// Who sent the request (`--from`, `--principal`, `--source-ip`).
    package var caller: Caller = Caller()
    /// What the chain's JWT and RBAC filters decide; nil when the chain enforces nothing.
    package var authorization: AuthorizationDecision?

    package enum Outcome: Sendable {
        /// An HTTP route matched.
        case route(routeConfig: String, virtualHost: String, route: Route, targets: [Target])
        /// A TCP chain forwards the stream.
        case tcp(targets: [Target])
        /// No virtual host takes the authority: Envoy answers 404.
        case noVirtualHost(routeConfig: String, authority: String)
        /// The virtual host has no route for the request: Envoy answers 404.
        case noRoute(routeConfig: String, virtualHost: String)
        /// The virtual host requires TLS (a Gateway server's `httpsRedirect`) and the request is plain
        /// text: Envoy answers 301 to `location` before any route is matched.
        case tlsRedirect(routeConfig: String, virtualHost: String, location: String)
    }

    /// What Envoy answers itself, when it forwards nothing: status and Location (redirects) or body (direct responses).
    package var answer: (status: Int, location: String?, body: String?)? {
        switch outcome {
        case .tlsRedirect(_, _, let location): return (301, location, nil)
        case .route(_, _, let route, _):
            switch route.action {
            case .redirect(let redirect): return (redirect.status, redirectLocation ?? "", nil)
            case .directResponse(let status, let body): return (status, nil, body)
            case .cluster, .weighted: return nil
            }
        default: return nil
        }
    }

    /// The Location of a route redirect, as Envoy builds it from the request (set by `explain`).
    package var redirectLocation: String?

    /// One cluster the request may go to, its share and endpoints.
    package struct Target: Sendable, Equatable {
        package var cluster: String
        /// Percent of requests (rounded down) this cluster gets.
        package var percent: Double
        /// Host, port and subset read from Istio's cluster name (`outbound|80|v1|host`); nil parts when the name is not Istio's.
        package var host: String?
        package var port: Int?
        package var subset: String?
        package var endpoints: [Endpoint]
    }
}

/// Explains requests against compiled proxies, as Envoy would route them.
package enum RouteExplainer {
    /// On a gateway the request reaches the listener on the URL's port; on a
    /// sidecar, the outbound listener (the app calls the destination's URL),
    /// or the inbound listener when `caller` has a mesh identity (another
    /// workload calls this one). The chain's authorization is decided too,
    /// at `now` (token expiry).
    package static func explain(_ request: ExplainRequest, on proxy: ProxyConfig, caller: Caller = Caller(), now: Date = Date()) throws -> Explanation {
        let (listener, chain) = try entry(request, proxy, caller)
        let outcome = outcome(request, listener, chain, proxy)
        var explanation = Explanation(proxy: proxy.name, listener: listener.name, serverNames: chain.serverNames, outcome: outcome,
                                      caller: caller, authorization: authorization(chain, listener, request, caller, outcome: outcome, now: now))
        if case .route(_, _, let route, _) = outcome, case .redirect(let redirect) = route.action {
            explanation.redirectLocation = location(redirect, request)
        }
        return explanation
    }

    /// Envoy's routing on `chain`: the TCP split, or virtual host by authority then the first matching route.
    private static func outcome(_ request: ExplainRequest, _ listener: Listener, _ chain: FilterChain, _ proxy: ProxyConfig) -> Explanation.Outcome {
        let name: String
        switch chain.action {
        case .tcp(let shares): return .tcp(targets: targets(shares, proxy))
        case .http(let routeConfig): name = routeConfig
        }
        let config = proxy.routeConfigs.first { $0.name == name } ?? RouteConfig(name: name, virtualHosts: [])
        var authority = request.allHeaders.first { $0.name == ":authority" }?.value ?? request.authority
        if listener.stripsHostPort, let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            authority = String(authority[..<colon])
        }
        guard let host = Matching.virtualHost(config.virtualHosts, authority: authority) else {
            return .noVirtualHost(routeConfig: name, authority: authority)
        }
        if host.requireTLS && request.scheme == "http" {
            return .tlsRedirect(routeConfig: name, virtualHost: host.name,
                                location: Self.location(Redirect(scheme: "https", status: 301), request))
        }
        guard let route = host.routes.first(where: { Matching.matches($0.match, request) }) else {
            return .noRoute(routeConfig: name, virtualHost: host.name)
        }
        let shares: [WeightedCluster]
        switch route.action {
        case .cluster(let cluster): shares = [WeightedCluster(cluster: cluster, weight: 1)]
        case .weighted(let split): shares = split
        case .redirect, .directResponse: shares = []
        }
        return .route(routeConfig: name, virtualHost: host.name, route: route, targets: targets(shares, proxy))
    }

    /// The Location Envoy's redirect sends: each part the redirect sets replaces the request's
    /// (a new scheme drops the request's port, as Envoy does), the query kept.
    static func location(_ redirect: Redirect, _ request: ExplainRequest) -> String {
        let scheme = redirect.scheme ?? request.scheme
        var port = redirect.port ?? (request.portWritten && redirect.scheme == nil ? request.port : nil)
        if port == (scheme == "https" ? 443 : 80) { port = nil }
        let query = request.query.map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }.joined(separator: "&")
        let path = (redirect.path ?? request.path) + (query.isEmpty ? "" : "?" + query)
        return "\(scheme)://\(redirect.host ?? request.host)\(port.map { ":\($0)" } ?? "")\(path)"
    }

    private static func targets(_ shares: [WeightedCluster], _ proxy: ProxyConfig) -> [Explanation.Target] {
        let total = max(1, shares.map(\.weight).reduce(0, +))
        return shares.map { share in
            let parts = share.cluster.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let istio = parts.count == 4
            return Explanation.Target(
                cluster: share.cluster, percent: Double(share.weight) * 100 / Double(total),
                host: istio && !parts[3].isEmpty ? parts[3] : nil, port: istio ? Int(parts[1]) : nil,
                subset: istio && !parts[2].isEmpty ? parts[2] : nil,
                endpoints: proxy.clusters.first { $0.name == share.cluster }?.endpoints ?? [])
        }
    }
}
