import MeshDiagnostics
import MeshIR

/// Builds an Envoy v3 `Cluster` (STATIC or STRICT_DNS, endpoints inline) from an IR cluster.
enum ClusterBuilder {
    static func build(_ cluster: Cluster) -> JSON {
        var members: JSONObject = [
            "name": .string(cluster.name),
            "type": .string(type(cluster.discovery)),
            "connect_timeout": .duration(milliseconds: cluster.connectTimeoutMs),
            "lb_policy": .string(lbPolicy(cluster.lbPolicy)),
            "load_assignment": ClusterLoadAssignmentBuilder.build(cluster),
        ]
        if cluster.discovery != .static {
            members["dns_lookup_family"] = .string("V4_PREFERRED")
            // Istio: re-resolve when the DNS answer expires.
            members["respect_dns_ttl"] = .bool(true)
        }
        if let size = cluster.hashTableSize {
            switch cluster.lbPolicy {
            case .ringHash: members["ring_hash_lb_config"] = .object(["minimum_ring_size": .int(size)])
            case .maglev: members["maglev_lb_config"] = .object(["table_size": .int(size)])
            default: break
            }
        }
        if let tls = cluster.tls { members["transport_socket"] = tls.meshIdentity ? MeshTLSBuilder.upstream(tls) : UpstreamTLSBuilder.build(tls) }
        if let breakers = cluster.circuitBreakers {
            var threshold: JSONObject = [:]
            if let value = breakers.maxConnections { threshold["max_connections"] = .int(value) }
            if let value = breakers.maxPendingRequests { threshold["max_pending_requests"] = .int(value) }
            if let value = breakers.maxRequests { threshold["max_requests"] = .int(value) }
            if let value = breakers.maxRetries { threshold["max_retries"] = .int(value) }
            members["circuit_breakers"] = .object(["thresholds": .array([.object(threshold)])])
        }
        if let outlier = cluster.outlierDetection { members["outlier_detection"] = outlierDetection(outlier) }
        if cluster.maxRequestsPerConnection != nil || cluster.idleTimeoutMs != nil || cluster.http2 {
            var common: JSONObject = [:]
            if let value = cluster.maxRequestsPerConnection { common["max_requests_per_connection"] = .int(value) }
            if let value = cluster.idleTimeoutMs { common["idle_timeout"] = .duration(milliseconds: value) }
            var options: JSONObject = [
                "explicit_http_config": .object([cluster.http2 ? "http2_protocol_options" : "http_protocol_options": .object([:])]),
            ]
            if !common.isEmpty { options["common_http_protocol_options"] = .object(common) }
            let typed = JSON.object(options).typed(EnvoyType.httpProtocolOptions)
            members["typed_extension_protocol_options"] = .object(["envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed])
        }
        if let threshold = cluster.healthyPanicThreshold {
            members["common_lb_config"] = .object(["healthy_panic_threshold": .object(["value": .int(threshold)])])
        }
        return .object(members)
    }

    static func lbPolicy(_ policy: Cluster.LoadBalancer) -> String {
        switch policy {
        case .roundRobin: "ROUND_ROBIN"
        case .leastRequest: "LEAST_REQUEST"
        case .random: "RANDOM"
        case .ringHash: "RING_HASH"
        case .maglev: "MAGLEV"
        }
    }

    static func type(_ discovery: Cluster.Discovery) -> String {
        switch discovery {
        case .static: "STATIC"
        case .dns: "STRICT_DNS"
        case .logicalDNS: "LOGICAL_DNS"
        }
    }

    /// Istio's mapping: each error kind is enforced only when its threshold is set; success-rate ejection is off.
    static func outlierDetection(_ outlier: OutlierDetection) -> JSON {
        var members: JSONObject = ["enforcing_success_rate": .int(0)]
        members["enforcing_consecutive_5xx"] = .int(outlier.consecutive5xx == nil ? 0 : 100)
        if let value = outlier.consecutive5xx { members["consecutive_5xx"] = .int(value) }
        members["enforcing_consecutive_gateway_failure"] = .int(outlier.consecutiveGatewayErrors == nil ? 0 : 100)
        if let value = outlier.consecutiveGatewayErrors { members["consecutive_gateway_failure"] = .int(value) }
        if let value = outlier.intervalMs { members["interval"] = .duration(milliseconds: value) }
        if let value = outlier.baseEjectionTimeMs { members["base_ejection_time"] = .duration(milliseconds: value) }
        if let value = outlier.maxEjectionPercent { members["max_ejection_percent"] = .int(value) }
        return .object(members)
    }
}

/// Builds an Envoy v3 `ClusterLoadAssignment`: the cluster's endpoints in one locality.
enum ClusterLoadAssignmentBuilder {
    static func build(_ cluster: Cluster) -> JSON {
        let endpoints: [JSON] = cluster.endpoints.sorted().map { endpoint in
            .object([
                "endpoint": .object(["address": .socketAddress(endpoint.address, port: endpoint.port)]),
                "load_balancing_weight": .int(endpoint.weight),
            ])
        }
        var members: JSONObject = ["cluster_name": .string(cluster.name)]
        members["endpoints"] = endpoints.isEmpty ? .array([]) : .array([.object(["lb_endpoints": .array(endpoints)])])
        return .object(members)
    }
}
