import MeshIR
import MeshModel

/// Builds each cluster a route names: endpoints (subset labels from the
/// DestinationRule), then the DestinationRule traffic policy. For a host the
/// first DestinationRule (documented order) gives the policy; a subset is
/// the first definition of that name. Settings merge field by field, later
/// wins: rule policy, its port-level settings, subset policy, its port-level
/// settings (Istio's order).
enum TrafficPolicyPass {
    static func run(_ state: inout CompileState) {
        let rulesByHost = state.index.destinationRulesByHost
        for key in state.clusterKeys.sorted() {
            let rules = (rulesByHost[key.host] ?? []).compactMap { resource -> (Resource, DestinationRuleSpec)? in
                guard case .destinationRule(let spec) = resource.body else { return nil }
                return (resource, spec)
            }
            var labels = StringMap()
            var subsetMissing = false
            var policies: [TrafficPolicy?] = [rules.first?.1.trafficPolicy]
            if let subsetName = key.subset {
                if let subset = rules.lazy.flatMap(\.1.subsets).first(where: { $0.name?.value == subsetName }) {
                    labels = subset.labels ?? StringMap()
                    policies.append(subset.trafficPolicy)
                } else {
                    subsetMissing = true
                    if let (resource, _) = rules.first {
                        state.note("subset \(subsetName) of \(key.host) is not defined; cluster \(key.name) has no endpoints", in: resource)
                    }
                }
            }
            let settings = Settings(policies.compactMap { $0 }, port: key.port)
            let endpoints = subsetMissing ? [] : EndpointResolver.endpoints(for: key, labels: labels, &state) ?? []
            state.clusters[key] = cluster(key, endpoints: endpoints, settings)
        }
    }

    /// The effective settings after merging, field by field.
    struct Settings {
        var loadBalancer: LoadBalancerSettings?
        var connectionPool: ConnectionPoolSettings?
        var outlierDetection: MeshModel.OutlierDetection?

        init(_ policies: [TrafficPolicy], port: Int) {
            for policy in policies {
                apply(policy.loadBalancer, policy.connectionPool, policy.outlierDetection)
                if let level = policy.portLevelSettings.first(where: { $0.port?.number?.value == port }) {
                    apply(level.loadBalancer, level.connectionPool, level.outlierDetection)
                }
            }
        }

        private mutating func apply(_ lb: LoadBalancerSettings?, _ pool: ConnectionPoolSettings?, _ outlier: MeshModel.OutlierDetection?) {
            if let lb { loadBalancer = lb }
            if let pool { connectionPool = pool }
            if let outlier { outlierDetection = outlier }
        }
    }

    static func cluster(_ key: ClusterKey, endpoints: [Endpoint], _ settings: Settings) -> Cluster {
        let discovery: Cluster.Discovery = endpoints.allSatisfy { EndpointResolver.isIPAddress($0.address) } ? .static : .dns
        var cluster = Cluster(name: key.name, endpoints: endpoints, discovery: discovery)
        switch settings.loadBalancer?.simple?.value {
        case "ROUND_ROBIN": cluster.lbPolicy = .roundRobin
        case "RANDOM": cluster.lbPolicy = .random
        default: cluster.lbPolicy = .leastRequest // Istio's default, and LEAST_CONN/LEAST_REQUEST
        }
        if let pool = settings.connectionPool {
            if let timeout = pool.tcp?.connectTimeout.flatMap({ GoDuration.milliseconds($0.value) }) { cluster.connectTimeoutMs = timeout }
            let breakers = CircuitBreakers(
                maxConnections: pool.tcp?.maxConnections?.value, maxPendingRequests: pool.http?.http1MaxPendingRequests?.value,
                maxRequests: pool.http?.http2MaxRequests?.value, maxRetries: pool.http?.maxRetries?.value)
            if breakers != CircuitBreakers() { cluster.circuitBreakers = breakers }
            cluster.maxRequestsPerConnection = pool.http?.maxRequestsPerConnection?.value
            cluster.idleTimeoutMs = pool.http?.idleTimeout.flatMap { GoDuration.milliseconds($0.value) }
        }
        if let outlier = settings.outlierDetection {
            cluster.outlierDetection = MeshIR.OutlierDetection(
                consecutive5xx: outlier.consecutive5xxErrors?.value, consecutiveGatewayErrors: outlier.consecutiveGatewayErrors?.value,
                intervalMs: outlier.interval.flatMap { GoDuration.milliseconds($0.value) },
                baseEjectionTimeMs: outlier.baseEjectionTime.flatMap { GoDuration.milliseconds($0.value) },
                maxEjectionPercent: outlier.maxEjectionPercent?.value)
            cluster.healthyPanicThreshold = outlier.minHealthPercent?.value
        }
        return cluster
    }
}
