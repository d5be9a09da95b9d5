/// A copy of matched requests sent to another cluster; its responses are ignored.
public struct RequestMirror: Sendable, Equatable {
    public var cluster: String
    /// Share of requests mirrored, percent (0–100].
    public var percent: Double

    public init(cluster: String, percent: Double = 100) {
        self.cluster = cluster
        self.percent = percent
    }
}

/// Cross-origin resource sharing for a route (Istio's CorsPolicy).
public struct CorsPolicy: Sendable, Equatable {
    /// Origins allowed, in the order written.
    public var allowOrigins: [StringMatcher]
    public var allowMethods: [String]
    public var allowHeaders: [String]
    public var exposeHeaders: [String]
    /// How long a preflight answer may be cached, in whole seconds.
    public var maxAgeSeconds: Int?
    public var allowCredentials: Bool?
    /// Preflight requests from origins not allowed go on to the upstream (Istio's FORWARD, the default) instead of being answered.
    public var forwardUnmatchedPreflights: Bool

    public init(allowOrigins: [StringMatcher] = [], allowMethods: [String] = [], allowHeaders: [String] = [], exposeHeaders: [String] = [],
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
public enum HashPolicy: Sendable, Equatable {
    case header(String)
    /// A cookie; with a ttl the proxy sets the cookie when the request lacks it.
    case cookie(name: String, path: String?, ttlMs: Int?)
    case sourceIP
    case queryParameter(String)
}

/// Header changes for one destination of a split (Istio's per-destination `headers`).
public struct DestinationHeaders: Sendable, Equatable {
    public var request: HeaderOperations
    public var response: HeaderOperations
    /// Host header sent upstream (from a `:authority` or `host` header set on the request).
    public var authority: String?

    public init(request: HeaderOperations = HeaderOperations(), response: HeaderOperations = HeaderOperations(), authority: String? = nil) {
        self.request = request
        self.response = response
        self.authority = authority
    }

    public var isEmpty: Bool { request.isEmpty && response.isEmpty && authority == nil }
}
