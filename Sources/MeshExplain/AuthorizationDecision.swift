import MeshIR

/// What a chain's `jwt_authn` and RBAC filters do with one request (or,
/// on a TCP chain, one connection), with the rules that decided it.
package struct AuthorizationDecision: Sendable, Equatable {
    /// Allowed, refused (and by which rule), or not checked.
    package var verdict: Verdict
    /// AUDIT rules that matched (Envoy logs them; they decide nothing).
    package var audited: [RuleReference]
    /// The peer identity the rules saw; nil without mesh mTLS.
    package var peer: String?
    /// The client address `ipBlocks` and `remoteIpBlocks` were matched against.
    package var sourceIP: String
    /// The token the request carried, when one was read.
    package var token: RequestToken?
    /// A TCP chain: a refusal closes the connection instead of answering 403.
    package var tcp: Bool
    /// What the reader should know about this decision (plain text, unverified signatures).
    package var notes: [String]

    package enum Verdict: Sendable, Equatable {
        /// No ALLOW policy applies and no DENY rule matches.
        case allowedWithoutPolicy
        case allowed(by: RuleReference)
        case denied(by: RuleReference)
        /// ALLOW policies apply and none of their rules (listed; maybe none) matches.
        case noAllowRuleMatches(considered: [RuleReference])
        /// `jwt_authn` refuses the token: Envoy answers 401 with `message`.
        case invalidToken(message: String, reason: String)
        /// No route took the request: the RBAC rules travel with the routes, so Envoy answers 404 without checking them.
        case noRoute
    }

    /// A decision; `AuthorizationCheck.decide` makes them.
    package init(verdict: Verdict, audited: [RuleReference] = [], peer: String? = nil, sourceIP: String, token: RequestToken? = nil,
                 tcp: Bool = false, notes: [String] = []) {
        self.verdict = verdict
        self.audited = audited
        self.peer = peer
        self.sourceIP = sourceIP
        self.token = token
        self.tcp = tcp
        self.notes = notes
    }

    /// The status Envoy answers instead of routing: 403, 401; nil when the request goes on.
    package var status: Int? {
        switch verdict {
        case .denied, .noAllowRuleMatches: 403
        case .invalidToken: 401
        case .allowed, .allowedWithoutPolicy, .noRoute: nil
        }
    }

    /// True when the request (or connection) is refused.
    package var refuses: Bool { status != nil }
}

/// A rule by its Istio name and the manifest position it was written at.
package struct RuleReference: Sendable, Equatable, CustomStringConvertible {
    /// `ns[<namespace>]-policy[<name>]-rule[<index>]`.
    package var name: String
    package var file: String
    package var line: Int

    /// The reference to `rule`.
    package init(_ rule: AuthorizationRuleIR) {
        name = rule.name
        file = rule.file
        line = rule.line
    }

    /// `file:line`, or nothing known.
    package var source: String { file.isEmpty ? "" : "\(file):\(line)" }

    /// `ns[shop]-policy[callers]-rule[0] (mesh.yaml:12)`.
    package var description: String { source.isEmpty ? name : "\(name) (\(source))" }
}
