/// An upstream: one service port (and subset), its endpoints and client-side policy.
public struct Cluster: Sendable, Equatable {
    /// Istio style: `outbound|80|v1|reviews.default.svc.cluster.local`.
    public var name: String
    /// Endpoints, sorted by address then port.
    public var endpoints: [Endpoint]
    /// How endpoint addresses are found.
    public var discovery: Discovery
    public var lbPolicy: LoadBalancer
    public var connectTimeoutMs: Int
    public var circuitBreakers: CircuitBreakers?
    public var outlierDetection: OutlierDetection?
    /// Most requests sent on one upstream connection (nil: unlimited).
    public var maxRequestsPerConnection: Int?
    /// Idle timeout of upstream HTTP connections, in milliseconds.
    public var idleTimeoutMs: Int?
    /// Share of healthy endpoints below which Envoy ignores health (Istio's `minHealthPercent`).
    public var healthyPanicThreshold: Int?
    /// With `.ringHash`: the ring's minimum size; with `.maglev`: the table size (nil: Envoy's default).
    public var hashTableSize: Int?
    /// What a `.ringHash` or `.maglev` balancer hashes; routes to this cluster carry it as their hash policy.
    public var hashPolicy: HashPolicy?
    /// TLS to the endpoints (nil: plain text).
    public var tls: UpstreamTLS?

    public init(name: String, endpoints: [Endpoint], discovery: Discovery, lbPolicy: LoadBalancer = .leastRequest,
                connectTimeoutMs: Int = 10_000, circuitBreakers: CircuitBreakers? = nil, outlierDetection: OutlierDetection? = nil,
                maxRequestsPerConnection: Int? = nil, idleTimeoutMs: Int? = nil, healthyPanicThreshold: Int? = nil) {
        self.name = name
        self.endpoints = endpoints
        self.discovery = discovery
        self.lbPolicy = lbPolicy
        self.connectTimeoutMs = connectTimeoutMs
        self.circuitBreakers = circuitBreakers
        self.outlierDetection = outlierDetection
        self.maxRequestsPerConnection = maxRequestsPerConnection
        self.idleTimeoutMs = idleTimeoutMs
        self.healthyPanicThreshold = healthyPanicThreshold
    }

    /// How the proxy learns endpoint addresses.
    public enum Discovery: String, Sendable, Equatable {
        /// Addresses are IPs, known at compile time.
        case `static`
        /// Addresses are DNS names the proxy resolves; every address found is an endpoint.
        case dns
        /// One DNS name; the proxy connects to the first address it resolves to (Istio's DNS_ROUND_ROBIN).
        case logicalDNS
    }

    /// Endpoint selection.
    public enum LoadBalancer: String, Sendable, Equatable {
        case roundRobin, leastRequest, random
        /// Consistent hashing (`hashPolicy` on the routes); Istio's default for consistentHash.
        case ringHash
        case maglev
    }
}

/// One upstream address.
public struct Endpoint: Sendable, Equatable, Comparable {
    public var address: String
    public var port: Int
    /// Relative load-balancing weight (at least 1).
    public var weight: Int

    public init(address: String, port: Int, weight: Int = 1) {
        self.address = address
        self.port = port
        self.weight = weight
    }

    public static func < (a: Endpoint, b: Endpoint) -> Bool {
        (a.address, a.port, a.weight) < (b.address, b.port, b.weight)
    }
}

/// Limits on what the proxy sends to one cluster; nil means the proxy's default.
public struct CircuitBreakers: Sendable, Equatable {
    public var maxConnections: Int?
    public var maxPendingRequests: Int?
    public var maxRequests: Int?
    public var maxRetries: Int?

    public init(maxConnections: Int? = nil, maxPendingRequests: Int? = nil, maxRequests: Int? = nil, maxRetries: Int? = nil) {
        self.maxConnections = maxConnections
        self.maxPendingRequests = maxPendingRequests
        self.maxRequests = maxRequests
        self.maxRetries = maxRetries
    }
}

/// Ejection of endpoints that keep failing.
public struct OutlierDetection: Sendable, Equatable {
    public var consecutive5xx: Int?
    public var consecutiveGatewayErrors: Int?
    public var intervalMs: Int?
    public var baseEjectionTimeMs: Int?
    public var maxEjectionPercent: Int?

    public init(consecutive5xx: Int? = nil, consecutiveGatewayErrors: Int? = nil, intervalMs: Int? = nil,
                baseEjectionTimeMs: Int? = nil, maxEjectionPercent: Int? = nil) {
        self.consecutive5xx = consecutive5xx
        self.consecutiveGatewayErrors = consecutiveGatewayErrors
        self.intervalMs = intervalMs
        self.baseEjectionTimeMs = baseEjectionTimeMs
        self.maxEjectionPercent = maxEjectionPercent
    }
}
