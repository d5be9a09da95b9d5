import MeshDiagnostics

/// How every Envoy meshc configures names its stats for Prometheus
/// (`/stats/prometheus`): Istio's questions — requests by destination and
/// code, latency by destination, errors by source — as plain PromQL over
/// `envoy_cluster_upstream_rq*` and `envoy_http_downstream_rq*`, one family
/// per stat instead of one per cluster.
///
/// Cluster stats are named `cluster.<Istio cluster name>.<stat>`
/// (`cluster.outbound|80|v1|reviews.default.svc.cluster.local.upstream_rq_200`).
/// Tag regexes (ECMAScript, Envoy's) take the name apart: `direction`,
/// `destination_port`, `destination_subset`, `destination_service`, and
/// `envoy.cluster_name` (Envoy's own tag, replaced so a host with dots is
/// kept whole: the name ends where one of Envoy's cluster stats begins).
/// Fixed tags say which proxy reports: `proxy`, `source_namespace`, and
/// `source_workload` / `source_app` / `source_version` where known.
package enum EnvoyStats {
    /// The first segments of Envoy's cluster stats: what may follow a cluster name.
    /// (Segments that could also be a namespace — `internal.`, `external.`, `canary.`, `zone.` — count only
    /// with the stat that follows them.)
    static let clusterStatStart = "(?=(?:upstream_|membership_|lb_|update_|assignment_|retry_or_shadow_abandoned|config_reload|version|"
        + "max_host_weight|bind_errors|original_dst_host_invalid|init_fetch_timeout|warming_state|circuit_breakers\\.|outlier_detection\\.|"
        + "ssl\\.|health_check\\.|http1\\.|http2\\.|http3\\.|client_ssl_socket_factory\\.|(?:internal|external|canary)\\.upstream_|"
        + "zone\\.[^.]*\\.[^.]*\\.upstream_))"

    /// Per-cluster stats of Istio-named clusters that no dashboard, alert or meshc reads, left out
    /// (`stats_matcher`): with thousands of clusters they dominate memory and the scrape
    /// (`make bench-stats`). Kept: requests by code and class, request time, retries, timeouts,
    /// active and total connections, connect failures, membership, outlier ejections; every
    /// other stat (server, listeners, connection managers, xDS, RBAC, clusters of other names).
    /// (Each alternative is a whole stat name: a segment like `default.` or `internal.` alone could be a namespace in the host.)
    static let clusterStatsLeftOut = "^cluster\\.(?:outbound|inbound)\\|[^|]*\\|[^|]*\\|.*\\.(?:"
        + "lb_[a-z_]+|circuit_breakers\\.(?:default|high)\\.[a-z_]+|assignment_[a-z_]+|update_[a-z_]+|version|max_host_weight|"
        + "init_fetch_timeout|warming_state|bind_errors|original_dst_host_invalid|retry_or_shadow_abandoned|config_reload[a-z_]*|"
        + "default\\.total_match_count|membership_(?:change|degraded|excluded)|http[123]\\.[a-z_]+|"
        + "(?:internal|external|canary)\\.upstream_rq_[0-9a-z_]+|zone\\.[^.]+\\.[^.]+\\.upstream_rq_[0-9a-z_]+|"
        + "upstream_flow_control_[a-z_]+|upstream_internal_redirect_[a-z_]+|upstream_http3_broken|"
        + "upstream_cx_(?:rx|tx)_bytes_[a-z]+|upstream_cx_(?:length_ms|connect_ms|close_notify|destroy[a-z_]*|http[123]_total|"
        + "idle_timeout|max_requests|max_duration_reached|none_healthy|overflow|pool_overflow|protocol_error|"
        + "connect_attempts_exceeded|connect_timeout)|"
        + "upstream_rq_(?:per_try_[a-z_]+|max_duration_reached|cancelled|maintenance_mode|rx_reset|tx_reset|0rtt|"
        + "active_overflow|pending_[a-z_]+|retry_backoff_[a-z_]+|retry_limit_exceeded|retry_overflow|retry_success|completed))$"

    /// Tag specifiers that split Istio cluster names.
    static let clusterTags: [(name: String, regex: String)] = [
        ("direction", "^cluster\\.((outbound|inbound)\\|)\\d+\\|"),
        ("destination_port", "^cluster\\.(?:outbound|inbound)\\|((\\d+)\\|)"),
        ("destination_subset", "^cluster\\.(?:outbound|inbound)\\|\\d+\\|(([^|.]*)\\|)"),
        ("destination_service", "^cluster\\.(?:outbound|inbound)\\|\\d+\\|[^|]*\\|((.+?)\\.)" + clusterStatStart),
        ("envoy.cluster_name", "^cluster\\.((.+?)\\.)" + clusterStatStart),
        // meshc's stat prefixes are listener names (`127.0.0.1_18080`): Envoy's defaults would stop at the first dot.
        ("envoy.http_conn_manager_prefix", "^http\\.(((?:\\d+\\.){3}\\d+_\\d+|[^.]+)\\.)"),
        ("envoy.tcp_prefix", "^tcp\\.(((?:\\d+\\.){3}\\d+_\\d+|[^.]+)\\.)"),
    ]

    /// Envoy's default tags kept (each by name: Envoy supplies the regex). Envoy's defaults are not
    /// all on, because its `envoy.cluster_name` would add a second, truncated cluster name beside ours.
    static let defaultTags = [
        "envoy.listener_address", "envoy.response_code",
        "envoy.response_code_class", "envoy.virtual_host", "envoy.virtual_cluster", "envoy.rds_route_config",
        "envoy.http_user_agent", "envoy.ssl_cipher", "envoy.worker_id",
    ]

    /// The bootstrap's `stats_config` for proxy `proxy` with the fixed tags in `source` (empty values left out).
    package static func config(proxy: String, source: [(name: String, value: String)] = []) -> JSON {
        var tags: [JSON] = clusterTags.map { .object(["tag_name": .string($0.name), "regex": .string($0.regex)]) }
        tags += defaultTags.map { .object(["tag_name": .string($0)]) }
        for (name, value) in [("proxy", proxy)] + source where !value.isEmpty {
            tags.append(.object(["tag_name": .string(name), "fixed_value": .string(value)]))
        }
        return .object(["stats_tags": .array(tags), "use_all_default_tags": .bool(false),
                        "stats_matcher": .object(["exclusion_list": .object(["patterns": .array([
                            .object(["safe_regex": .object(["regex": .string(clusterStatsLeftOut)])]),
                        ])])])])
    }

    /// Name of the static listener serving `/stats/prometheus` and of the cluster it reaches the admin through.
    package static let listenerName = "meshc_prometheus"
    package static let adminCluster = "meshc_stats_admin"

    /// Istio's 15090: a listener on `host:port` that serves exactly `GET /stats/prometheus` from Envoy's
    /// admin (on loopback, `adminPort`) and answers 404 to everything else, so Prometheus scrapes the
    /// proxy's address while the admin's other pages stay unreachable.
    package static func listener(host: String, port: Int) -> JSON {
        let router: JSON = .object(["name": .string("envoy.filters.http.router"), "typed_config": .object([
            "@type": .string("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router")])])
        let routes: JSON = .array([
            .object([
                "match": .object(["path": .string("/stats/prometheus"),
                                  "headers": .array([.object(["name": .string(":method"), "string_match": .object(["exact": .string("GET")])])])]),
                "route": .object(["cluster": .string(adminCluster)]),
            ]),
            .object(["match": .object(["prefix": .string("/")]), "direct_response": .object(["status": .int(404)])]),
        ])
        let manager: JSON = .object([
            "@type": .string("type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"),
            "stat_prefix": .string(listenerName),
            "route_config": .object(["name": .string(listenerName), "virtual_hosts": .array([.object([
                "name": .string(listenerName), "domains": .array([.string("*")]), "routes": routes])])]),
            "http_filters": .array([router]),
        ])
        return .object([
            "name": .string(listenerName),
            "address": .object(["socket_address": .object(["address": .string(host), "port_value": .int(port)])]),
            "filter_chains": .array([.object(["filters": .array([.object([
                "name": .string("envoy.filters.network.http_connection_manager"), "typed_config": manager])])])]),
        ])
    }

    /// The cluster `listener` sends scrapes through: Envoy's own admin on loopback.
    package static func adminClusterConfig(adminPort: Int) -> JSON {
        .object([
            "name": .string(adminCluster), "type": .string("STATIC"), "connect_timeout": .string("1s"),
            "load_assignment": .object(["cluster_name": .string(adminCluster), "endpoints": .array([.object(["lb_endpoints": .array([
                .object(["endpoint": .object(["address": .object(["socket_address": .object([
                    "address": .string("127.0.0.1"), "port_value": .int(adminPort)])])])]),
            ])])])]),
        ])
    }
}
