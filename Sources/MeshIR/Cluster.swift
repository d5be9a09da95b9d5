/// An upstream: one service port (and subset), its endpoints and client-side policy.
package struct Cluster: Sendable, Hashable {
    /// Istio style: `outbound|80|v1|reviews.default.svc.cluster.local`.
    package var name: String
    /// Endpoints, sorted by address then port.
    package var endpoints: [Endpoint]
    /// How endpoint addresses are found.
    package var discovery: Discovery
    package var lbPolicy: LoadBalancer
    package var connectTimeoutMs: Int
    package var circuitBreakers: CircuitBreakers?
    package var outlierDetection: OutlierDetection?
    /// Most requests sent on one upstream connection (nil: unlimited).
    package var maxRequestsPerConnection: Int?
    /// Idle timeout of upstream HTTP connections, in milliseconds.
    package var idleTimeoutMs: Int?
    /// Share of healthy endpoints below which Envoy ignores health (Istio's `minHealthPercent`).
    package var healthyPanicThreshold: Int?
    /// With `.ringHash`: the ring's minimum size; with `.maglev`: the table size (nil: Envoy's default).
    package var hashTableSize: Int?
    /// What a `.ringHash` or `.maglev` balancer hashes; routes to this cluster carry it as their hash policy.
    package var hashPolicy: HashPolicy?
    /// TLS to the endpoints (nil: plain text).
    package var tls: UpstreamTLS?
    /// Requests go upstream over HTTP/2 (Istio: a `grpc`, `grpc-web` or `http2` service port).
    package var http2 = false

    package init(name: String, endpoints: [Endpoint], discovery: Discovery, lbPolicy: LoadBalancer = .leastRequest,
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
    package enum Discovery: String, Sendable, Hashable {
        /// Addresses are IPs, known at compile time.
        case `static`
        /// Addresses are DNS names the proxy resolves; every address found is an endpoint.
        case dns
        /// One DNS name; the proxy connects to the first address it resolves to (Istio's DNS_ROUND_ROBIN).
        case logicalDNS
    }

    /// Endpoint selection.
    package enum LoadBalancer: String, Sendable, Hashable {
        case roundRobin, leastRequest, random
        /// Consistent hashing (`hashPolicy` on the routes); Istio's default for consistentHash.
        case ringHash
        case maglev
    }
}

/// One upstream address.
package struct Endpoint: Sendable, Hashable, Comparable {
    package var address: String
    package var port: Int
    /// Relative load-balancing weight (at least 1).
    package var weight: Int

    package init(address: String, port: Int, weight: Int = 1) {
        self.address = address
        self.port = port
        self.weight = weight
    }

    package static func < (a: Endpoint, b: Endpoint) -> Bool {
        (a.address, a.port, a.weight) < (b.address, b.port, b.weight)
    }
}

/// Limits on what the proxy sends to one cluster; nil means the proxy's default.
package struct CircuitBreakers: Sendable, Hashable {
    package var maxConnections: Int?
    package var maxPendingRequests: Int?
    package var maxRequests: Int?
    package var maxRetries: Int?

    package init(maxConnections: Int? = nil, maxPendingRequests: Int? = nil, maxRequests: Int? = nil, maxRetries: Int? = nil) {
        self.maxConnections = maxConnections
        self.maxPendingRequests = maxPendingRequests
        self.maxRequests = maxRequests
        self.maxRetries = maxRetries
    }
}

/// Ejection of endpoints that keep failing.
package struct OutlierDetection: Sendable, Hashable {
    package var consecutive5xx: Int?
    package var consecutiveGatewayErrors: Int?
    package var intervalMs: Int?
    package var baseEjectionTimeMs: Int?
    package var maxEjectionPercent: Int?

    package init(consecutive5xx: Int? = nil, consecutiveGatewayErrors: Int? = nil, intervalMs: Int? = nil,
                baseEjectionTimeMs: Int? = nil, maxEjectionPercent: Int? = nil) {
        self.consecutive5xx = consecutive5xx
        self.consecutiveGatewayErrors = consecutiveGatewayErrors
        self.intervalMs = intervalMs
        self.baseEjectionTimeMs = baseEjectionTimeMs
        self.maxEjectionPercent = maxEjectionPercent
    }
}
