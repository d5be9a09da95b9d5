import MeshDiagnostics
import MeshIR

/// Builds an Envoy v3 `RouteAction`: cluster or weighted clusters, timeout, retries, rewrites.
enum RouteActionBuilder {
    static func build(_ route: Route) -> JSON {
        var members: JSONObject = ["timeout": .duration(milliseconds: route.timeoutMs)]
        switch route.action {
        case .cluster(let name): members["cluster"] = .string(name)
        case .weighted(let shares):
            // No total_weight: deprecated in v3; Envoy divides by the sum of the weights.
            members["weighted_clusters"] = .object(["clusters": .array(shares.map(clusterWeight))])
        case .redirect, .directResponse: break
        }
        if !route.mirrors.isEmpty {
            members["request_mirror_policies"] = .array(route.mirrors.map { mirror in
                // Istio: mirrored requests do not force trace sampling.
                .object(["cluster": .string(mirror.cluster), "runtime_fraction": .object(["default_value": .percent(mirror.percent)]),
                         "trace_sampled": .bool(false)])
            })
        }
        if !route.hashPolicies.isEmpty { members["hash_policy"] = .array(route.hashPolicies.map(hashPolicy)) }
        if let retries = route.retries { members["retry_policy"] = retryPolicy(retries) }
        if let rewrite = route.rewrite {
            if let prefix = rewrite.pathPrefix { members["prefix_rewrite"] = .string(prefix) }
            if let regex = rewrite.regex {
                members["regex_rewrite"] = .object(["pattern": .object(["regex": .string(regex.pattern)]), "substitution": .string(regex.substitution)])
            }
            if let authority = rewrite.authority { members["host_rewrite_literal"] = .string(authority) }
        }
        return .object(members)
    }

    /// One share of a split, with the header changes only its requests get.
    static func clusterWeight(_ share: WeightedCluster) -> JSON {
        var members: JSONObject = ["name": .string(share.cluster), "weight": .int(share.weight)]
        RouteBuilder.addHeaders(share.headers.request, prefix: "request", to: &members)
        RouteBuilder.addHeaders(share.headers.response, prefix: "response", to: &members)
        if let authority = share.headers.authority { members["host_rewrite_literal"] = .string(authority) }
        return .object(members)
    }

    /// Istio's `consistentHashToHashPolicy`.
    static func hashPolicy(_ policy: HashPolicy) -> JSON {
        switch policy {
        case .header(let name): return .object(["header": .object(["header_name": .string(name)])])
        case .cookie(let name, let path, let ttlMs):
            var cookie: JSONObject = ["name": .string(name)]
            if let path { cookie["path"] = .string(path) }
            if let ttlMs { cookie["ttl"] = .duration(milliseconds: ttlMs) }
            return .object(["cookie": .object(cookie)])
        case .sourceIP: return .object(["connection_properties": .object(["source_ip": .bool(true)])])
        case .queryParameter(let name): return .object(["query_parameter": .object(["name": .string(name)])])
        }
    }

    /// Retries go to another endpoint when one exists (Istio's previous-hosts predicate).
    static func retryPolicy(_ retries: RetryPolicy) -> JSON {
        var members: JSONObject = [
            "retry_on": .string(retries.retryOn),
            "num_retries": .int(retries.attempts),
            "retry_host_predicate": .array([.object([
                "name": .string("envoy.retry_host_predicates.previous_hosts"),
                "typed_config": JSON.object([:]).typed(EnvoyType.previousHosts),
            ])]),
            "host_selection_retry_max_attempts": .int(5),
        ]
        if !retries.retriableStatusCodes.isEmpty { members["retriable_status_codes"] = .array(retries.retriableStatusCodes.map(JSON.int)) }
        if let perTry = retries.perTryTimeoutMs { members["per_try_timeout"] = .duration(milliseconds: perTry) }
        return .object(members)
    }
}

/// Builds an Envoy v3 `HTTPFault` (a route's `typed_per_filter_config` entry).
enum HTTPFaultBuilder {
    static func build(_ fault: FaultInjection) -> JSON {
        var members: JSONObject = [:]
        if let delay = fault.delay {
            members["delay"] = .object(["fixed_delay": .duration(milliseconds: delay.milliseconds), "percentage": .percent(delay.percent)])
        }
        if let abort = fault.abort {
            members["abort"] = .object(["http_status": .int(abort.status), "percentage": .percent(abort.percent)])
        }
        return JSON.object(members).typed(EnvoyType.fault)
    }
}
