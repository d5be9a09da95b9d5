import MeshDiagnostics
import MeshIR

/// Writes an Envoy v3 `Cluster` (STATIC or STRICT_DNS, endpoints inline) and
/// its `ClusterLoadAssignment` from an IR cluster, straight to canonical
/// bytes (`JSONWriter`): a 10k-service sidecar has 26,000 of each, and
/// building a `JSON` tree for every one cost more than writing it.
/// Members are written in key order by hand; `ClusterRenderTests` renders
/// each through `JSON` again to hold them to it.
enum ClusterBuilder {
    /// The cluster and its endpoints as resources' bytes, `@type` first.
    static func render(_ cluster: Cluster) -> (cluster: String, endpoints: String) {
        let assignment = ClusterLoadAssignmentBuilder.members(cluster)
        var endpoints = JSONWriter(capacity: assignment.count + 80)
        endpoints.openObject()
        endpoints.key("@type")
        endpoints.string(EnvoyType.clusterLoadAssignment)
        endpoints.rawMembers(assignment)
        endpoints.closeObject()
        return (write(cluster, typed: true, assignment: assignment).text, endpoints.text)
    }

    /// The cluster as a `JSON` value, without `@type` (the static bootstrap, goldens).
    static func build(_ cluster: Cluster) -> JSON {
        let bytes = write(cluster, typed: false, assignment: ClusterLoadAssignmentBuilder.members(cluster)).bytes
        // The writer's own output: it parses (ClusterRenderTests holds every shape to it).
        return (try? JSON.parse(bytes)) ?? .null
    }

    /// The cluster's members in key order; `assignment` is the load
    /// assignment's members (`ClusterLoadAssignmentBuilder.members`).
    private static func write(_ cluster: Cluster, typed: Bool, assignment: [UInt8]) -> JSONWriter {
        var w = JSONWriter(capacity: assignment.count + 1024)
        w.openObject()
        if typed {
            w.key("@type")
            w.string(EnvoyType.cluster)
        }
        if let breakers = cluster.circuitBreakers {
            w.key("circuit_breakers")
            w.openObject()
            w.key("thresholds")
            w.openArray()
            w.openObject()
            if let value = breakers.maxConnections { w.key("max_connections"); w.int(value) }
            if let value = breakers.maxPendingRequests { w.key("max_pending_requests"); w.int(value) }
            if let value = breakers.maxRequests { w.key("max_requests"); w.int(value) }
            if let value = breakers.maxRetries { w.key("max_retries"); w.int(value) }
            w.closeObject()
            w.closeArray()
            w.closeObject()
        }
        if let threshold = cluster.healthyPanicThreshold {
            w.key("common_lb_config")
            w.openObject()
            w.key("healthy_panic_threshold")
            w.openObject()
            w.key("value")
            w.int(threshold)
            w.closeObject()
            w.closeObject()
        }
        w.key("connect_timeout")
        w.duration(milliseconds: cluster.connectTimeoutMs)
        if cluster.discovery != .static {
            w.key("dns_lookup_family")
            w.string("V4_PREFERRED")
        }
        w.key("lb_policy")
        w.string(lbPolicy(cluster.lbPolicy))
        w.key("load_assignment")
        w.openObject()
        w.rawMembers(assignment)
        w.closeObject()
        if let size = cluster.hashTableSize, cluster.lbPolicy == .maglev {
            w.key("maglev_lb_config")
            w.openObject()
            w.key("table_size")
            w.int(size)
            w.closeObject()
        }
        w.key("name")
        w.string(cluster.name)
        if let outlier = cluster.outlierDetection {
            w.key("outlier_detection")
            outlierDetection(outlier, into: &w)
        }
        if cluster.discovery != .static {
            // Istio: re-resolve when the DNS answer expires.
            w.key("respect_dns_ttl")
            w.bool(true)
        }
        if let size = cluster.hashTableSize, cluster.lbPolicy == .ringHash {
            w.key("ring_hash_lb_config")
            w.openObject()
            w.key("minimum_ring_size")
            w.int(size)
            w.closeObject()
        }
        if let tls = cluster.tls {
            w.key("transport_socket")
            w.value(tls.meshIdentity ? MeshTLSBuilder.upstream(tls) : UpstreamTLSBuilder.build(tls))
        }
        w.key("type")
        w.string(type(cluster.discovery))
        if cluster.maxRequestsPerConnection != nil || cluster.idleTimeoutMs != nil || cluster.http2 || cluster.tls?.setsUpstreamHTTPOptions == true {
            w.key("typed_extension_protocol_options")
            w.openObject()
            w.key("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
            httpProtocolOptions(cluster, into: &w)
            w.closeObject()
        }
        w.closeObject()
        return w
    }

    /// `HttpProtocolOptions` (typed): per-connection limits, the HTTP version upstream, auto SNI and SAN validation.
    private static func httpProtocolOptions(_ cluster: Cluster, into w: inout JSONWriter) {
        w.openObject()
        w.key("@type")
        w.string(EnvoyType.httpProtocolOptions)
        if cluster.maxRequestsPerConnection != nil || cluster.idleTimeoutMs != nil {
            w.key("common_http_protocol_options")
            w.openObject()
            if let value = cluster.idleTimeoutMs { w.key("idle_timeout"); w.duration(milliseconds: value) }
            if let value = cluster.maxRequestsPerConnection { w.key("max_requests_per_connection"); w.int(value) }
            w.closeObject()
        }
        w.key("explicit_http_config")
        w.openObject()
        if cluster.http2 { w.key("http2_protocol_options") } else { w.key("http_protocol_options") }
        w.openObject()
        w.closeObject()
        w.closeObject()
        if let tls = cluster.tls, tls.setsUpstreamHTTPOptions {
            // Istio's TLS origination without `sni`: the SNI (and, verified, the name checked) is the request's host.
            w.key("upstream_http_protocol_options")
            w.openObject()
            if tls.autoSanValidation { w.key("auto_san_validation"); w.bool(true) }
            if tls.autoSni { w.key("auto_sni"); w.bool(true) }
            w.closeObject()
        }
        w.closeObject()
    }

    static func lbPolicy(_ policy: Cluster.LoadBalancer) -> StaticString {
        switch policy {
        case .roundRobin: "ROUND_ROBIN"
        case .leastRequest: "LEAST_REQUEST"
        case .random: "RANDOM"
        case .ringHash: "RING_HASH"
        case .maglev: "MAGLEV"
        }
    }

    static func type(_ discovery: Cluster.Discovery) -> StaticString {
        switch discovery {
        case .static: "STATIC"
        case .dns: "STRICT_DNS"
        case .logicalDNS: "LOGICAL_DNS"
        }
    }

    /// Istio's mapping: each error kind is enforced only when its threshold is set; success-rate ejection is off.
    private static func outlierDetection(_ outlier: OutlierDetection, into w: inout JSONWriter) {
        w.openObject()
        if let value = outlier.baseEjectionTimeMs { w.key("base_ejection_time"); w.duration(milliseconds: value) }
        if let value = outlier.consecutive5xx { w.key("consecutive_5xx"); w.int(value) }
        if let value = outlier.consecutiveGatewayErrors { w.key("consecutive_gateway_failure"); w.int(value) }
        w.key("enforcing_consecutive_5xx")
        w.int(outlier.consecutive5xx == nil ? 0 : 100)
        w.key("enforcing_consecutive_gateway_failure")
        w.int(outlier.consecutiveGatewayErrors == nil ? 0 : 100)
        w.key("enforcing_success_rate")
        w.int(0)
        if let value = outlier.intervalMs { w.key("interval"); w.duration(milliseconds: value) }
        if let value = outlier.maxEjectionPercent { w.key("max_ejection_percent"); w.int(value) }
        w.closeObject()
    }
}

/// Writes an Envoy v3 `ClusterLoadAssignment`: the cluster's endpoints in one locality.
enum ClusterLoadAssignmentBuilder {
    /// Its members without braces (`cluster_name`, `endpoints`): the cluster
    /// carries them inline as `load_assignment`, the EDS resource after `@type`.
    static func members(_ cluster: Cluster) -> [UInt8] {
        var w = JSONWriter(capacity: 96 + 128 * cluster.endpoints.count)
        w.key("cluster_name")
        w.string(cluster.name)
        w.key("endpoints")
        w.openArray()
        if !cluster.endpoints.isEmpty {
            w.openObject()
            w.key("lb_endpoints")
            w.openArray()
            for endpoint in cluster.endpoints.sorted() {
                w.openObject()
                w.key("endpoint")
                w.openObject()
                w.key("address")
                w.openObject()
                w.key("socket_address")
                w.openObject()
                w.key("address")
                w.string(endpoint.address)
                w.key("port_value")
                w.int(endpoint.port)
                w.closeObject()
                w.closeObject()
                w.closeObject()
                w.key("load_balancing_weight")
                w.int(endpoint.weight)
                w.closeObject()
            }
            w.closeArray()
            w.closeObject()
        }
        w.closeArray()
        return w.bytes
    }
}
