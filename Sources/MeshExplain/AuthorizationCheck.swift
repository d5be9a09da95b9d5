import Foundation

import MeshIR

/// The connection a request arrives on, as the chain's filters see it.
package struct ConnectionFacts: Sendable, Equatable {
    /// The peer certificate's URI SAN (`spiffe://cluster.local/ns/a/sa/b`); nil without mesh mTLS.
    package var peer: String?
    /// The client's address (`source.ip`, and `remote.ip`: meshc's chains trust no `x-forwarded-for`).
    package var sourceIP: String
    /// The address the client connected to (`destination.ip`).
    package var destinationIP: String
    /// The TLS server name the client sent; nil for plain text.
    package var serverName: String?

    package init(peer: String? = nil, sourceIP: String = "127.0.0.1", destinationIP: String = "127.0.0.1", serverName: String? = nil) {
        self.peer = peer
        self.sourceIP = sourceIP
        self.destinationIP = destinationIP
        self.serverName = serverName
    }
}

/// Istio's authorization as Envoy enforces it on one chain: `jwt_authn`
/// first (a bad token: 401), then AUDIT rules (logged only), DENY rules
/// (any match: 403), then ALLOW rules when ALLOW policies apply (one must
/// match, else 403). Pure: the caller passes the clock.
package enum AuthorizationCheck {
    /// The decision on an HTTP `request` (nil: a TCP connection, which
    /// carries no headers, path or token). `routed`: a route took the
    /// request; without one Envoy answers 404 and the RBAC rules, which
    /// travel with the routes, are not checked (the token still is).
    package static func decide(_ authorization: Authorization, request: ExplainRequest?, connection: ConnectionFacts,
                               routed: Bool = true, now: Date = Date()) -> AuthorizationDecision {
        var decision = AuthorizationDecision(verdict: .allowedWithoutPolicy, peer: connection.peer, sourceIP: connection.sourceIP,
                                             tcp: request == nil)
        var input = AccessInput(peer: connection.peer, sourceIP: IPAddress(connection.sourceIP),
                                destinationIP: IPAddress(connection.destinationIP), serverName: connection.serverName)
        if let request {
            input.headers = headers(request)
            input.path = request.path
            if !authorization.jwtProviders.isEmpty {
                switch RequestToken.check(authorization.jwtProviders, request, now: now) {
                case .absent:
                    break
                case .valid(let token):
                    decision.token = token
                    decision.notes.append("meshc route does not verify the token's signature: Envoy answers 401 when the issuer's keys do not")
                    input.jwtPayload = token.payload
                case .invalid(let message, let reason):
                    decision.verdict = .invalidToken(message: message, reason: reason)
                    return decision
                }
            }
        }
        guard routed else {
            decision.verdict = .noRoute
            return decision
        }
        func matching(_ rules: [AuthorizationRuleIR]?) -> [RuleReference] {
            (rules ?? []).filter { input.matches($0.permission) && input.matches($0.principal) }.map(RuleReference.init)
        }
        decision.audited = matching(authorization.audit)
        if let custom = authorization.custom, let rule = matching(custom.rules).first {
            // ext_authz runs before DENY and ALLOW; meshc route cannot ask the service, so the verdict below assumes it allows.
            decision.notes.append("CUSTOM rule \(rule) sends the request to ext_authz provider \(custom.service.name) (\(custom.service.uri)) first: "
                                  + "its answer decides; what follows assumes it allows")
        }
        if let denied = matching(authorization.deny).first {
            decision.verdict = .denied(by: denied)
        } else if let allow = authorization.allow {
            decision.verdict = matching(allow).first.map { .allowed(by: $0) } ?? .noAllowRuleMatches(considered: allow.map(RuleReference.init))
        }
        return decision
    }

    /// The headers RBAC matches: the request's, with `:path` carrying the query as on the wire.
    private static func headers(_ request: ExplainRequest) -> [(name: String, value: String)] {
        let query = request.query.map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }.joined(separator: "&")
        return request.allHeaders.map { header in
            header.name == ":path" && !query.isEmpty ? (header.name, "\(header.value)?\(query)") : header
        }
    }
}
