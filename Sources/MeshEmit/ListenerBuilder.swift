import MeshDiagnostics
import MeshIR
import MeshSnapshot

/// Builds an Envoy v3 `Listener`: one filter chain per IR chain (HTTP
/// connection manager or TCP proxy, TLS terminated or not, matched by SNI).
enum ListenerBuilder {
    /// Where a connection manager gets its routes.
    enum Routes {
        /// The route configurations inline, by name (a self-contained bootstrap).
        case inline([String: JSON])
        /// RDS from files Envoy watches, one per route configuration, in the
        /// folder whoever writes the files binds (`RouteSource`); route changes
        /// apply without a listener drain.
        case rds
    }

    static func build(_ listener: Listener, routes: Routes) -> JSON {
        var members: JSONObject = [
            "name": .string(listener.name),
            "address": .socketAddress(listener.address, port: listener.port),
            // Two Envoys binding one port would otherwise share it silently.
            "enable_reuse_port": .bool(false),
            "filter_chains": .array(listener.chains.map { chain(listener, $0, routes: routes) }),
        ]
        if listener.inspectsTLS {
            members["listener_filters"] = .array([.object([
                "name": .string(EnvoyFilter.tlsInspector),
                "typed_config": JSON.object([:]).typed(EnvoyType.tlsInspector),
            ])])
        }
        return .object(members)
    }

    private static func chain(_ listener: Listener, _ chain: FilterChain, routes: Routes) -> JSON {
        var members: JSONObject = [:]
        var match: JSONObject = [:]
        if !chain.serverNames.isEmpty { match["server_names"] = .array(chain.serverNames.map(JSON.string)) }
        if let transport = chain.transportProtocol { match["transport_protocol"] = .string(transport) }
        if !match.isEmpty { members["filter_chain_match"] = .object(match) }
        if let tls = chain.tls { members["transport_socket"] = DownstreamTLSBuilder.build(tls) }
        if chain.meshTLS { members["transport_socket"] = MeshTLSBuilder.downstream() }
        switch chain.action {
        case .http(let routeConfig):
            members["filters"] = .array([.object([
                "name": .string(EnvoyFilter.httpConnectionManager),
                "typed_config": HttpConnectionManagerBuilder.build(statPrefix: listener.name, routeConfig: routeConfig, routes: routes,
                                                                   stripsHostPort: listener.stripsHostPort, forwardsClientCert: chain.meshTLS,
                                                                   authorization: chain.authorization, telemetry: listener.telemetry),
            ])])
        case .tcp(let shares):
            // Network RBAC (AuthorizationPolicy on a TCP port) decides before the stream is proxied.
            members["filters"] = .array(RBACBuilder.networkFilters(chain.authorization, statPrefix: listener.name) + [.object([
                "name": .string(EnvoyFilter.tcpProxy),
                "typed_config": TCPProxyBuilder.build(statPrefix: listener.name, shares, accessLogs: TelemetryBuilder.accessLogs(listener.telemetry)),
            ])])
        }
        return .object(members)
    }
}

/// Builds the `TcpProxy` typed config: one cluster, or a weighted split.
enum TCPProxyBuilder {
    static func build(statPrefix: String, _ shares: [WeightedCluster], accessLogs: JSON? = nil) -> JSON {
        var members: JSONObject = ["stat_prefix": .string(statPrefix)]
        if let accessLogs { members["access_log"] = accessLogs }
        if shares.count == 1 {
            members["cluster"] = .string(shares[0].cluster)
        } else {
            members["weighted_clusters"] = .object(["clusters": .array(shares.map {
                .object(["name": .string($0.cluster), "weight": .int($0.weight)])
            })])
        }
        return JSON.object(members).typed(EnvoyType.tcpProxy)
    }
}

/// Builds a `DownstreamTlsContext` transport socket: certificate files named
/// inline, or read over SDS from the snapshot's secret (`GatewaySecret`).
enum DownstreamTLSBuilder {
    static func build(_ tls: ServerTLS) -> JSON {
        var common: JSONObject = [:]
        if let secret = tls.secret {
            common["tls_certificate_sds_secret_configs"] = .array([GatewaySecret.secretConfig(secret)])
        } else {
            common["tls_certificates"] = .array([.object([
                "certificate_chain": .object(["filename": .string(tls.certificateChain)]),
                "private_key": .object(["filename": .string(tls.privateKey)]),
            ])])
        }
        if !tls.alpn.isEmpty { common["alpn_protocols"] = .array(tls.alpn.map(JSON.string)) }
        if let ca = tls.caCertificates {
            let sans: [JSON] = tls.subjectAltNames.map {
                .object(["san_type": .string("DNS"), "matcher": .object(["exact": .string($0)])])
            }
            if let secret = tls.caSecret {
                let config = GatewaySecret.secretConfig(secret)
                if sans.isEmpty {
                    common["validation_context_sds_secret_config"] = config
                } else {
                    common["combined_validation_context"] = .object([
                        "default_validation_context": .object(["match_typed_subject_alt_names": .array(sans)]),
                        "validation_context_sds_secret_config": config,
                    ])
                }
            } else {
                var validation: JSONObject = ["trusted_ca": .object(["filename": .string(ca)])]
                if !sans.isEmpty { validation["match_typed_subject_alt_names"] = .array(sans) }
                common["validation_context"] = .object(validation)
            }
        }
        var context: JSONObject = ["common_tls_context": .object(common)]
        if tls.requireClientCertificate { context["require_client_certificate"] = .bool(true) }
        return .object([
            "name": .string(EnvoyFilter.tlsTransportSocket),
            "typed_config": JSON.object(context).typed(EnvoyType.downstreamTLSContext),
        ])
    }
}

/// Builds the `HttpConnectionManager` typed config with `HTTPFilters.chain(_:)`.
enum HttpConnectionManagerBuilder {
    static func build(statPrefix: String, routeConfig: String, routes: ListenerBuilder.Routes, stripsHostPort: Bool,
                      forwardsClientCert: Bool = false, authorization: Authorization? = nil, telemetry: ListenerTelemetry? = nil) -> JSON {
        var members: JSONObject = [
            "stat_prefix": .string(statPrefix),
            "codec_type": .string("AUTO"),
            // Gateway domains carry no port; match `Host: a.example.com:8080` as `a.example.com`.
            "strip_any_host_port": .bool(stripsHostPort),
            "http_filters": HTTPFilters.chain(authorization),
        ]
        if forwardsClientCert { members.merge(MeshTLSBuilder.forwardClientCert) { _, new in new } }
        if let accessLogs = TelemetryBuilder.accessLogs(telemetry) { members["access_log"] = accessLogs }
        members.merge(TelemetryBuilder.tracing(telemetry)) { _, new in new }
        switch routes {
        case .inline(let configs): members["route_config"] = configs[routeConfig] ?? .object(["name": .string(routeConfig)])
        case .rds: members["rds"] = RouteSource.rds(routeConfig)
        }
        return JSON.object(members).typed(EnvoyType.httpConnectionManager)
    }
}

