import MeshDiagnostics
import MeshIR

/// Writes an Envoy v3 `RouteAction` (cluster or weighted clusters, timeout,
/// retries, rewrites, mirrors, hash policy) and a route's `HTTPFault`,
/// members in key order (`RouteWriter`).
enum RouteActionWriter {
    static func action(_ route: Route, into w: inout JSONWriter) {
        w.openObject()
        if case .cluster(let name) = route.action {
            w.key("cluster")
            w.string(name)
        }
        if !route.hashPolicies.isEmpty {
            w.key("hash_policy")
            w.openArray()
            for policy in route.hashPolicies { hashPolicy(policy, into: &w) }
            w.closeArray()
        }
        let rewrite = route.rewrite
        if let authority = rewrite?.authority { w.key("host_rewrite_literal"); w.string(authority) }
        if let prefix = rewrite?.pathPrefix { w.key("prefix_rewrite"); w.string(prefix) }
        if let regex = rewrite?.regex {
            w.key("regex_rewrite")
            w.openObject()
            w.key("pattern")
            RouteWriter.regex(regex.pattern, into: &w)
            w.key("substitution")
            w.string(regex.substitution)
            w.closeObject()
        }
        if !route.mirrors.isEmpty {
            w.key("request_mirror_policies")
            w.openArray()
            for mirror in route.mirrors {
                w.openObject()
                w.key("cluster")
                w.string(mirror.cluster)
                w.key("runtime_fraction")
                w.openObject()
                w.key("default_value")
                RouteWriter.percent(mirror.percent, into: &w)
                w.closeObject()
                // Istio: mirrored requests do not force trace sampling.
                w.key("trace_sampled")
                w.bool(false)
                w.closeObject()
            }
            w.closeArray()
        }
        if let retries = route.retries {
            w.key("retry_policy")
            retryPolicy(retries, into: &w)
        }
        w.key("timeout")
        w.duration(milliseconds: route.timeoutMs)
        if case .weighted(let shares) = route.action {
            // No total_weight: deprecated in v3; Envoy divides by the sum of the weights.
            w.key("weighted_clusters")
            w.openObject()
            w.key("clusters")
            w.openArray()
            for share in shares { clusterWeight(share, into: &w) }
            w.closeArray()
            w.closeObject()
        }
        w.closeObject()
    }

    /// One share of a split, with the header changes only its requests get.
    private static func clusterWeight(_ share: WeightedCluster, into w: inout JSONWriter) {
        w.openObject()
        if let authority = share.headers.authority { w.key("host_rewrite_literal"); w.string(authority) }
        w.key("name")
        w.string(share.cluster)
        RouteWriter.headers(share.headers.request, request: true, into: &w)
        RouteWriter.headers(share.headers.response, request: false, into: &w)
        w.key("weight")
        w.int(share.weight)
        w.closeObject()
    }

    /// Istio's `consistentHashToHashPolicy`.
    private static func hashPolicy(_ policy: HashPolicy, into w: inout JSONWriter) {
        w.openObject()
        switch policy {
        case .header(let name):
            w.key("header")
            w.openObject()
            w.key("header_name")
            w.string(name)
            w.closeObject()
        case .cookie(let name, let path, let ttlMs):
            w.key("cookie")
            w.openObject()
            w.key("name")
            w.string(name)
            if let path { w.key("path"); w.string(path) }
            if let ttlMs { w.key("ttl"); w.duration(milliseconds: ttlMs) }
            w.closeObject()
        case .sourceIP:
            w.key("connection_properties")
            w.openObject()
            w.key("source_ip")
            w.bool(true)
            w.closeObject()
        case .queryParameter(let name):
            w.key("query_parameter")
            w.openObject()
            w.key("name")
            w.string(name)
            w.closeObject()
        }
        w.closeObject()
    }

    /// Retries go to another endpoint when one exists (Istio's previous-hosts predicate).
    private static func retryPolicy(_ retries: RetryPolicy, into w: inout JSONWriter) {
        w.openObject()
        w.key("host_selection_retry_max_attempts")
        w.int(5)
        w.key("num_retries")
        w.int(retries.attempts)
        if let perTry = retries.perTryTimeoutMs { w.key("per_try_timeout"); w.duration(milliseconds: perTry) }
        if !retries.retriableStatusCodes.isEmpty {
            w.key("retriable_status_codes")
            w.openArray()
            for code in retries.retriableStatusCodes { w.int(code) }
            w.closeArray()
        }
        w.key("retry_host_predicate")
        w.openArray()
        w.openObject()
        w.key("name")
        w.string("envoy.retry_host_predicates.previous_hosts")
        w.key("typed_config")
        w.openObject()
        w.key("@type")
        w.string(EnvoyType.previousHosts)
        w.closeObject()
        w.closeObject()
        w.closeArray()
        w.key("retry_on")
        w.string(retries.retryOn)
        w.closeObject()
    }

    /// An `HTTPFault`, the route's `typed_per_filter_config` entry.
    static func fault(_ fault: FaultInjection, into w: inout JSONWriter) {
        w.openObject()
        w.key("@type")
        w.string(EnvoyType.fault)
        if let abort = fault.abort {
            w.key("abort")
            w.openObject()
            w.key("http_status")
            w.int(abort.status)
            w.key("percentage")
            RouteWriter.percent(abort.percent, into: &w)
            w.closeObject()
        }
        if let delay = fault.delay {
            w.key("delay")
            w.openObject()
            w.key("fixed_delay")
            w.duration(milliseconds: delay.milliseconds)
            w.key("percentage")
            RouteWriter.percent(delay.percent, into: &w)
            w.closeObject()
        }
        w.closeObject()
    }
}
