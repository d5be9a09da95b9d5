/// A copy of matched requests sent to another cluster; its responses are ignored.
package struct RequestMirror: Sendable, Hashable {
    package var cluster: String
    /// Share of requests mirrored, percent (0–100].
    package var percent: Double

    package init(cluster: String, percent: Double = 100) {
        self.cluster = cluster
        self.percent = percent
    }
}

/// Cross-origin resource sharing for a route (Istio's CorsPolicy).
package struct CorsPolicy: Sendable, Hashable {
    /// Origins allowed, in the order written.
    package var allowOrigins: [StringMatcher]
    package var allowMethods: [String]
    package var allowHeaders: [String]
    package var exposeHeaders: [String]
    /// How long a preflight answer may be cached, in whole seconds.
    package var maxAgeSeconds: Int?
    package var allowCredentials: Bool?
    /// Preflight requests from origins not allowed go on to the upstream (Istio's FORWARD, the default) instead of being answered.
    package var forwardUnmatchedPreflights: Bool

    package init(allowOrigins: [StringMatcher] = [], allowMethods: [String] = [], allowHeaders: [String] = [], exposeHeaders: [String] = [],
                maxAgeSeconds: Int? = nil, allowCredentials: Bool? = nil, forwardUnmatchedPreflights: Bool = true) {
        self.forwardUnmatchedPreflights = forwardUnmatchedPreflights
        self.allowOrigins = allowOrigins
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAgeSeconds = maxAgeSeconds
        self.allowCredentials = allowCredentials
    }
}

/// The request attribute a consistent-hash load balancer hashes (Istio's ConsistentHashLB key).
package enum HashPolicy: Sendable, Hashable {
    case header(String)
    /// A cookie; with a ttl the proxy sets the cookie when the request lacks it.
    case cookie(name: String, path: String?, ttlMs: Int?)
    case sourceIP
    case queryParameter(String)
}

/// Header changes for one destination of a split (Istio's per-destination `headers`).
package struct DestinationHeaders: Sendable, Hashable {
    package var request: HeaderOperations
    package var response: HeaderOperations
    /// Host header sent upstream (from a `:authority` or `host` header set on the request).
    package var authority: String?

    package init(request: HeaderOperations = HeaderOperations(), response: HeaderOperations = HeaderOperations(), authority: String? = nil) {
        self.request = request
        self.response = response
        self.authority = authority
    }

    package var isEmpty: Bool { request.isEmpty && response.isEmpty && authority == nil }
}
