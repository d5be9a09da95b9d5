import MeshDiagnostics
@testable import MeshEmit
import MeshIR
import MeshTestSupport
import Testing

/// Clusters and their endpoints are written straight to bytes
/// (`ClusterBuilder`, `JSONWriter`), members in key order by hand. Over
/// random clusters with every option, the bytes must be what the `JSON`
/// tree of the same cluster renders (`Reference`: the tree builder the
/// writer replaced, kept here as its specification).
@Suite struct ClusterRenderTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func writtenClustersAreTheCanonicalRenderingOfTheirTrees(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        for index in 0..<400 {
            let cluster = Self.randomCluster(&random, index)
            let written = ClusterBuilder.render(cluster)
            #expect(written.cluster == Reference.cluster(cluster).typed(EnvoyType.cluster).rendered(), "cluster \(index): \(cluster)")
            #expect(written.endpoints == Reference.assignment(cluster).typed(EnvoyType.clusterLoadAssignment).rendered(), "endpoints \(index)")
            #expect(ClusterBuilder.build(cluster) == Reference.cluster(cluster), "the tree of cluster \(index)")
        }
    }

    @Test func writerNumbersAndDurationsAreWhatTheTreeWrites() {
        for value in [0, 1, 9, 10, 99, 100, 12_345, -1, -10, -987_654, Int.max, Int.min] {
            var w = JSONWriter()
            w.int(value)
            #expect(w.text == JSON.int(value).rendered(), "\(value)")
        }
        for ms in [0, 1, 10, 100, 250, 999, 1000, 1001, 10_000, 86_400_123] {
            var w = JSONWriter()
            w.duration(milliseconds: ms)
            #expect(w.text == JSON.duration(milliseconds: ms).rendered(), "\(ms) ms")
        }
    }

    /// Names with what JSON escapes (quotes, backslashes, control and non-ASCII characters).
    static let awkward = ["outbound|80||a.b.svc.cluster.local", "q\"uote", "back\\slash", "line\nbreak\ttab\u{01}", "ünïcode-名前", ""]

    static func randomCluster(_ random: inout SeededGenerator, _ index: Int) -> Cluster {
        func maybe(_ value: Int) -> Int? { Bool.random(using: &random) ? value : nil }
        func number() -> Int { [0, 1, 7, 100, 1000, 65_535, Int.random(in: 0...1_000_000, using: &random)].randomElement(using: &random)! }
        let name = index % 7 == 0 ? awkward.randomElement(using: &random)! : "outbound|\(index)|v\(index % 3)|svc-\(index).ns.svc.cluster.local"
        let endpoints = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            Endpoint(address: Bool.random(using: &random) ? "10.0.\(Int.random(in: 0...9, using: &random)).1" : awkward.randomElement(using: &random)!,
                     port: Int.random(in: 1...65_535, using: &random), weight: Int.random(in: 1...3, using: &random))
        }
        var cluster = Cluster(name: name, endpoints: endpoints,
                              discovery: [.static, .dns, .logicalDNS].randomElement(using: &random)!,
                              lbPolicy: [.roundRobin, .leastRequest, .random, .ringHash, .maglev].randomElement(using: &random)!,
                              connectTimeoutMs: [1, 250, 1000, 10_000, 1_234].randomElement(using: &random)!)
        if Bool.random(using: &random) {
            cluster.circuitBreakers = CircuitBreakers(maxConnections: maybe(number()), maxPendingRequests: maybe(number()),
                                                      maxRequests: maybe(number()), maxRetries: maybe(number()))
        }
        if Bool.random(using: &random) {
            cluster.outlierDetection = OutlierDetection(consecutive5xx: maybe(number()), consecutiveGatewayErrors: maybe(number()),
                                                        intervalMs: maybe(number()), baseEjectionTimeMs: maybe(number()),
                                                        maxEjectionPercent: maybe(number() % 101))
        }
        cluster.maxRequestsPerConnection = maybe(number())
        cluster.idleTimeoutMs = maybe(number())
        cluster.healthyPanicThreshold = maybe(number() % 101)
        cluster.hashTableSize = maybe(number())
        cluster.http2 = Bool.random(using: &random)
        if Bool.random(using: &random) {
            let names = Array(awkward.prefix(Int.random(in: 0...2, using: &random))) + ["spiffe://cluster.local/ns/a/sa/b"]
            cluster.tls = UpstreamTLS(sni: Bool.random(using: &random) ? "sni.example" : nil,
                                      clientCertificate: maybe(1).map { _ in "/etc/cert.pem" }, privateKey: maybe(1).map { _ in "/etc/key.pem" },
                                      caCertificates: maybe(1).map { _ in "/etc/ca.pem" }, subjectAltNames: names,
                                      meshIdentity: Bool.random(using: &random))
            cluster.tls?.autoSni = Bool.random(using: &random)
            cluster.tls?.autoSanValidation = Bool.random(using: &random)
        }
        return cluster
    }

    /// The `JSON` tree builder the writer replaced: the cluster's meaning, member by member.
    enum Reference {
        static func cluster(_ cluster: Cluster) -> JSON {
            var members: JSONObject = [
                "name": .string(cluster.name),
                "type": .string("\(ClusterBuilder.type(cluster.discovery))"),
                "connect_timeout": .duration(milliseconds: cluster.connectTimeoutMs),
                "lb_policy": .string("\(ClusterBuilder.lbPolicy(cluster.lbPolicy))"),
                "load_assignment": assignment(cluster),
            ]
            if cluster.discovery != .static {
                members["dns_lookup_family"] = .string("V4_PREFERRED")
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
            if let outlier = cluster.outlierDetection {
                var detection: JSONObject = ["enforcing_success_rate": .int(0)]
                detection["enforcing_consecutive_5xx"] = .int(outlier.consecutive5xx == nil ? 0 : 100)
                if let value = outlier.consecutive5xx { detection["consecutive_5xx"] = .int(value) }
                detection["enforcing_consecutive_gateway_failure"] = .int(outlier.consecutiveGatewayErrors == nil ? 0 : 100)
                if let value = outlier.consecutiveGatewayErrors { detection["consecutive_gateway_failure"] = .int(value) }
                if let value = outlier.intervalMs { detection["interval"] = .duration(milliseconds: value) }
                if let value = outlier.baseEjectionTimeMs { detection["base_ejection_time"] = .duration(milliseconds: value) }
                if let value = outlier.maxEjectionPercent { detection["max_ejection_percent"] = .int(value) }
                members["outlier_detection"] = .object(detection)
            }
            if cluster.maxRequestsPerConnection != nil || cluster.idleTimeoutMs != nil || cluster.http2 || cluster.tls?.setsUpstreamHTTPOptions == true {
                var common: JSONObject = [:]
                if let value = cluster.maxRequestsPerConnection { common["max_requests_per_connection"] = .int(value) }
                if let value = cluster.idleTimeoutMs { common["idle_timeout"] = .duration(milliseconds: value) }
                var options: JSONObject = [
                    "explicit_http_config": .object([cluster.http2 ? "http2_protocol_options" : "http_protocol_options": .object([:])]),
                ]
                if !common.isEmpty { options["common_http_protocol_options"] = .object(common) }
                if let tls = cluster.tls, tls.setsUpstreamHTTPOptions {
                    var upstream: JSONObject = [:]
                    if tls.autoSni { upstream["auto_sni"] = .bool(true) }
                    if tls.autoSanValidation { upstream["auto_san_validation"] = .bool(true) }
                    options["upstream_http_protocol_options"] = .object(upstream)
                }
                let typed = JSON.object(options).typed(EnvoyType.httpProtocolOptions)
                members["typed_extension_protocol_options"] = .object(["envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed])
            }
            if let threshold = cluster.healthyPanicThreshold {
                members["common_lb_config"] = .object(["healthy_panic_threshold": .object(["value": .int(threshold)])])
            }
            return .object(members)
        }

        static func assignment(_ cluster: Cluster) -> JSON {
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
}
