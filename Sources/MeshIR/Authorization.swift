/// Istio's AuthorizationPolicy and RequestAuthentication as one filter chain
/// enforces them: who may call what, decided per request (HTTP) or per
/// connection (TCP). Istio's order: DENY policies, then ALLOW policies
/// (none: everything is allowed; one without rules: nothing is); AUDIT only logs.
package struct Authorization: Sendable, Hashable {
    /// RequestAuthentication: the JWT issuers the chain verifies. A request
    /// with an invalid token is refused (401); one without passes on, with no
    /// request principal. Empty: no JWT filter (HTTP chains only).
    package var jwtProviders: [JWTProvider]
    /// Rules of DENY policies; nil when no DENY policy applies.
    package var deny: [AuthorizationRuleIR]?
    /// Rules of ALLOW policies; nil when no ALLOW policy applies (allow
    /// everything), empty when ALLOW policies apply but none of their rules can match (allow nothing).
    package var allow: [AuthorizationRuleIR]?
    /// Rules of AUDIT policies (Envoy logs matches as `access_log_hint`); nil when none applies.
    package var audit: [AuthorizationRuleIR]?
    /// CUSTOM policies: requests their rules match are checked by an external
    /// authorization service before DENY and ALLOW; nil when none applies.
    package var custom: CustomAuthorization?

    package init(jwtProviders: [JWTProvider] = [], deny: [AuthorizationRuleIR]? = nil, allow: [AuthorizationRuleIR]? = nil,
                 audit: [AuthorizationRuleIR]? = nil) {
        self.jwtProviders = jwtProviders
        self.deny = deny
        self.allow = allow
        self.audit = audit
    }

    /// True when nothing is enforced.
    package var isEmpty: Bool { jwtProviders.isEmpty && deny == nil && allow == nil && audit == nil && custom == nil }
}

/// CUSTOM policies' rules and the service that decides the requests they match (Istio's ext_authz provider).
package struct CustomAuthorization: Sendable, Hashable {
    package var service: ExtAuthzService
    package var rules: [AuthorizationRuleIR]

    package init(service: ExtAuthzService, rules: [AuthorizationRuleIR]) {
        self.service = service
        self.rules = rules
    }
}

/// An HTTP external authorization service (Istio's `envoyExtAuthzHttp` provider):
/// Envoy sends it the request's headers (and body, when asked); a 200 allows,
/// anything else is the answer the client gets.
package struct ExtAuthzService: Sendable, Hashable {
    /// The provider's name in the mesh config.
    package var name: String
    /// The cluster Envoy reaches the service through (`outbound|<port>||<host>`).
    package var cluster: String
    /// `http://<host>:<port>`.
    package var uri: String
    package var timeoutMs: Int
    package var pathPrefix: String?
    /// Allow the request when the service cannot be reached (Istio's `failOpen`).
    package var failOpen: Bool
    /// The status the client gets when the service cannot be reached and `failOpen` is false.
    package var statusOnError: Int?
    /// Request headers sent to the service (besides Envoy's defaults), lower-cased.
    package var requestHeaders: [String]
    /// Headers added to the check request.
    package var additionalHeaders: [(name: String, value: String)]
    /// The service's answer headers copied to the upstream request when it allows.
    package var headersToUpstreamOnAllow: [String]
    /// The service's answer headers the client gets when it denies.
    package var headersToDownstreamOnDeny: [String]
    /// The service's answer headers the client gets when it allows.
    package var headersToDownstreamOnAllow: [String]
    /// The request body sent along: most bytes, partial allowed, as bytes.
    package var body: (maxBytes: Int, allowPartial: Bool, packAsBytes: Bool)?

    package init(name: String, cluster: String, uri: String, timeoutMs: Int = 600_000, pathPrefix: String? = nil, failOpen: Bool = false,
                 statusOnError: Int? = nil, requestHeaders: [String] = [], additionalHeaders: [(name: String, value: String)] = [],
                 headersToUpstreamOnAllow: [String] = [], headersToDownstreamOnDeny: [String] = [], headersToDownstreamOnAllow: [String] = [],
                 body: (maxBytes: Int, allowPartial: Bool, packAsBytes: Bool)? = nil) {
        self.name = name
        self.cluster = cluster
        self.uri = uri
        self.timeoutMs = timeoutMs
        self.pathPrefix = pathPrefix
        self.failOpen = failOpen
        self.statusOnError = statusOnError
        self.requestHeaders = requestHeaders
        self.additionalHeaders = additionalHeaders
        self.headersToUpstreamOnAllow = headersToUpstreamOnAllow
        self.headersToDownstreamOnDeny = headersToDownstreamOnDeny
        self.headersToDownstreamOnAllow = headersToDownstreamOnAllow
        self.body = body
    }

    package static func == (a: ExtAuthzService, b: ExtAuthzService) -> Bool {
        a.name == b.name && a.cluster == b.cluster && a.uri == b.uri && a.timeoutMs == b.timeoutMs && a.pathPrefix == b.pathPrefix
            && a.failOpen == b.failOpen && a.statusOnError == b.statusOnError && a.requestHeaders == b.requestHeaders
            && a.additionalHeaders.elementsEqual(b.additionalHeaders, by: ==) && a.headersToUpstreamOnAllow == b.headersToUpstreamOnAllow
            && a.headersToDownstreamOnDeny == b.headersToDownstreamOnDeny && a.headersToDownstreamOnAllow == b.headersToDownstreamOnAllow
            && a.body?.maxBytes == b.body?.maxBytes && a.body?.allowPartial == b.body?.allowPartial && a.body?.packAsBytes == b.body?.packAsBytes
    }

    /// The fields `==` compares (tuples have no synthesized `Hashable`).
    package func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(cluster)
        hasher.combine(uri)
        hasher.combine(timeoutMs)
        hasher.combine(pathPrefix)
        hasher.combine(requestHeaders)
        for header in additionalHeaders { hasher.combine(header.name); hasher.combine(header.value) }
        hasher.combine(body?.maxBytes)
    }
}

/// One rule of one policy: it matches a request when both `permission`
/// (what is called) and `principal` (who calls) match.
package struct AuthorizationRuleIR: Sendable, Hashable {
    /// Istio's name: `ns[<namespace>]-policy[<name>]-rule[<index>]`.
    package var name: String
    package var permission: AccessMatch
    package var principal: AccessMatch
    /// Where the rule is written, for `meshc route` and plans.
    package var file: String
    package var line: Int

    package init(name: String, permission: AccessMatch, principal: AccessMatch, file: String = "", line: Int = 0) {
        self.name = name
        self.permission = permission
        self.principal = principal
        self.file = file
        self.line = line
    }
}

/// A condition on a request or connection (Envoy RBAC's Permission and Principal trees).
package indirect enum AccessMatch: Sendable, Hashable {
    case any
    case and([AccessMatch])
    case or([AccessMatch])
    case not(AccessMatch)
    /// The peer certificate's URI SAN (a SPIFFE ID); absent without mTLS.
    case principal(TextMatch)
    /// The connection's peer address.
    case directRemoteIP(CIDRBlock)
    /// The original client address (`x-forwarded-for` as the proxy trusts it).
    case remoteIP(CIDRBlock)
    /// The address the connection was made to.
    case destinationIP(CIDRBlock)
    /// A request header (`:authority`, `:method` included).
    case header(String, TextMatch)
    /// The request path without its query.
    case path(TextMatch)
    /// Istio's path template (`/books/{*}/reviews/{**}`).
    case pathTemplate(String)
    /// The TLS server name the client asked for.
    case serverName(TextMatch)
    /// A value in the request's dynamic metadata: `filter`'s namespace,
    /// `path` of keys; `list`: a list value matches when one item does.
    case metadata(filter: String, path: [String], TextMatch, list: Bool)

    /// Matches nothing.
    package static let nothing = AccessMatch.not(.any)

    /// `self` with constant parts folded: `and` with a `none` is `none`, `or` with an `any` is `any`.
    package var simplified: AccessMatch {
        switch self {
        case .and(let parts):
            let folded = parts.map(\.simplified).filter { $0 != .any }
            if folded.contains(.nothing) { return .nothing }
            return folded.isEmpty ? .any : folded.count == 1 ? folded[0] : .and(folded)
        case .or(let parts):
            let folded = parts.map(\.simplified).filter { $0 != .nothing }
            if folded.contains(.any) { return .any }
            return folded.isEmpty ? .nothing : folded.count == 1 ? folded[0] : .or(folded)
        case .not(let inner):
            let folded = inner.simplified
            if case .not(let twice) = folded { return twice }
            return .not(folded)
        default:
            return self
        }
    }
}

/// How a string value is matched.
package enum TextMatch: Sendable, Hashable {
    case exact(String)
    case prefix(String)
    case suffix(String)
    /// RE2, the whole value.
    case regex(String)
    /// Any value, as long as there is one.
    case present
}

/// An IPv4 or IPv6 block.
package struct CIDRBlock: Sendable, Hashable {
    package var address: String
    package var prefixLength: Int

    package init(address: String, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }
}

/// One JWT issuer a chain trusts (a RequestAuthentication `jwtRules` entry).
package struct JWTProvider: Sendable, Hashable {
    /// `origins-<n>`, unique in the chain.
    package var name: String
    package var issuer: String?
    package var audiences: [String]
    package var keys: Keys
    /// Headers (name, value prefix) a token may come in; empty: Envoy's default (`Authorization: Bearer`).
    package var fromHeaders: [(name: String, prefix: String)]
    package var fromParams: [String]
    package var fromCookies: [String]
    /// Keep the token in the request sent upstream.
    package var forwardOriginalToken: Bool
    /// Header that carries the verified payload (base64url) upstream.
    package var payloadHeader: String?
    /// Verified claims copied into request headers.
    package var claimHeaders: [(header: String, claim: String)]

    /// Where the signing keys are.
    package enum Keys: Sendable, Hashable {
        /// A JWKS document in the config.
        case inline(String)
        /// Fetched by the proxy from `uri` through `cluster`.
        case remote(uri: String, cluster: String, timeoutMs: Int)
    }

    package init(name: String, issuer: String?, audiences: [String] = [], keys: Keys, fromHeaders: [(name: String, prefix: String)] = [],
                 fromParams: [String] = [], fromCookies: [String] = [], forwardOriginalToken: Bool = false, payloadHeader: String? = nil,
                 claimHeaders: [(header: String, claim: String)] = []) {
        self.name = name
        self.issuer = issuer
        self.audiences = audiences
        self.keys = keys
        self.fromHeaders = fromHeaders
        self.fromParams = fromParams
        self.fromCookies = fromCookies
        self.forwardOriginalToken = forwardOriginalToken
        self.payloadHeader = payloadHeader
        self.claimHeaders = claimHeaders
    }

    package static func == (a: JWTProvider, b: JWTProvider) -> Bool {
        a.name == b.name && a.issuer == b.issuer && a.audiences == b.audiences && a.keys == b.keys
            && a.fromHeaders.elementsEqual(b.fromHeaders, by: ==) && a.fromParams == b.fromParams && a.fromCookies == b.fromCookies
            && a.forwardOriginalToken == b.forwardOriginalToken && a.payloadHeader == b.payloadHeader
            && a.claimHeaders.elementsEqual(b.claimHeaders, by: ==)
    }

    /// Some of the fields `==` compares (tuples have no synthesized `Hashable`).
    package func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(issuer)
        hasher.combine(audiences)
        hasher.combine(keys)
        for header in fromHeaders { hasher.combine(header.name); hasher.combine(header.prefix) }
        for claim in claimHeaders { hasher.combine(claim.header); hasher.combine(claim.claim) }
    }

    /// The dynamic metadata a verified token's payload is written to: filter namespace and key.
    package static let metadataFilter = "envoy.filters.http.jwt_authn"
    package static let payloadKey = "payload"
}
