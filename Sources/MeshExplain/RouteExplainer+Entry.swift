import Foundation

import MeshIR

extension RouteExplainer {
    /// The listener and filter chain a request reaches. A caller with a mesh
    /// identity calling a sidecar reaches its inbound listener for the URL's
    /// port; otherwise a gateway takes the request on the URL's port and a
    /// sidecar on its outbound listener (its own app calls out).
    static func entry(_ request: ExplainRequest, _ proxy: ProxyConfig, _ caller: Caller) throws -> (Listener, FilterChain) {
        if proxy.role == .sidecar, caller.principal != nil { return try inboundEntry(request, proxy, caller) }
        // A sidecar's app calls the destination's URL; without iptables the call reaches the outbound listener whatever its port.
        let outbound = proxy.role == .sidecar ? proxy.listeners.first { $0.routeConfigNames == ["outbound"] } : nil
        guard let listener = outbound ?? proxy.listeners.first(where: { $0.port == request.port }) else {
            let ports = proxy.listeners.map { String($0.port) }.joined(separator: ", ")
            throw ExplainError("proxy \(proxy.name) has no listener on port \(request.port) (it listens on \(ports.isEmpty ? "no port" : ports)); "
                               + "write the port in the URL")
        }
        let sni = request.scheme == "https" ? request.host : nil
        guard let chain = Matching.chain(listener.chains, serverName: sni) else {
            throw ExplainError("listener \(listener.name) serves no chain for \(sni.map { "server name \($0)" } ?? "plain-text connections"); "
                               + "Envoy closes the connection")
        }
        return (listener, chain)
    }

    /// The inbound listener serving route configuration `inbound|<port>||`
    /// (the URL's port is the workload's), or listening on the URL's port;
    /// its mesh mTLS chain (the caller's sidecar presents its certificate),
    /// else its plain-text chain.
    private static func inboundEntry(_ request: ExplainRequest, _ proxy: ProxyConfig, _ caller: Caller) throws -> (Listener, FilterChain) {
        let inbound = proxy.listeners.filter { $0.routeConfigNames.contains { $0.hasPrefix("inbound|") } }
        guard let listener = inbound.first(where: { $0.routeConfigNames.contains("inbound|\(request.port)||") })
            ?? inbound.first(where: { $0.port == request.port }) else {
            let ports = inbound.flatMap(\.routeConfigNames).compactMap(inboundPort).map(String.init).joined(separator: ", ")
            throw ExplainError("sidecar \(proxy.name) has no inbound listener for port \(request.port) "
                               + "(its workload ports: \(ports.isEmpty ? "none" : ports)); a caller reaches the workload on one of those: "
                               + "write it in the URL, or leave out --from and --principal to explain an outbound call")
        }
        let chain = listener.chains.first(where: \.meshTLS) ?? listener.chains.first { $0.transportProtocol != "tls" }
        guard let chain else {
            throw ExplainError("listener \(listener.name) serves no chain a mesh caller can use; Envoy closes the connection")
        }
        return (listener, chain)
    }

    /// `9080` from `inbound|9080||`.
    private static func inboundPort(_ routeConfig: String) -> Int? {
        let parts = routeConfig.split(separator: "|", omittingEmptySubsequences: false)
        return parts.count == 4 ? Int(parts[1]) : nil
    }

    /// The decision of `chain`'s authorization on `request` from `caller`;
    /// nil when the chain enforces nothing. The peer identity exists only
    /// on a mesh mTLS chain.
    static func authorization(_ chain: FilterChain, _ listener: Listener, _ request: ExplainRequest, _ caller: Caller,
                              outcome: Explanation.Outcome, now: Date) -> AuthorizationDecision? {
        guard let authorization = chain.authorization, !authorization.isEmpty else { return nil }
        // A listener on 0.0.0.0 or :: takes the address the client dialled: the URL's, when it is one; else loopback, as meshc's samples run.
        var destination = listener.address
        if IPAddress(destination)?.isUnspecified ?? false { destination = IPAddress(request.host) == nil ? "127.0.0.1" : request.host }
        let connection = ConnectionFacts(peer: chain.meshTLS ? caller.principal : nil, sourceIP: caller.sourceIP, destinationIP: destination,
                                         serverName: request.scheme == "https" ? request.host : nil)
        let routed: Bool
        let http: ExplainRequest?
        switch outcome {
        case .tcp: (routed, http) = (true, nil)
        case .route, .tlsRedirect: (routed, http) = (true, request)
        case .noRoute, .noVirtualHost: (routed, http) = (false, request)
        }
        var decision = AuthorizationCheck.decide(authorization, request: http, connection: connection, routed: routed, now: now)
        if caller.principal != nil && !chain.meshTLS {
            decision.notes.insert("plain text: no peer identity (the chain does not terminate mesh mTLS), so rules on principals and namespaces do not match",
                                  at: 0)
        }
        return decision
    }
}
