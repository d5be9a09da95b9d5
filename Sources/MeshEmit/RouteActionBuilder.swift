import MeshDiagnostics
import MeshIR

/// Builds an Envoy v3 `RouteAction`: cluster or weighted clusters, timeout, retries, rewrites.
enum RouteActionBuilder {
    static func build(_ route: Route) -> JSON {
        var members: [String: JSON] = ["timeout": .duration(milliseconds: route.timeoutMs)]
        switch route.action {
        case .cluster(let name): members["cluster"] = .string(name)
        case .weighted(let shares):
            // No total_weight: deprecated in v3; Envoy divides by the sum of the weights.
            members["weighted_clusters"] = .object(["clusters": .array(shares.map { share in
                .object(["name": .string(share.cluster), "weight": .int(share.weight)])
            })])
        case .redirect, .directResponse: break
        }
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

    /// Retries go to another endpoint when one exists (Istio's previous-hosts predicate).
    static func retryPolicy(_ retries: RetryPolicy) -> JSON {
        var members: [String: JSON] = [
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
        var members: [String: JSON] = [:]
        if let delay = fault.delay {
            members["delay"] = .object(["fixed_delay": .duration(milliseconds: delay.milliseconds), "percentage": .percent(delay.percent)])
        }
        if let abort = fault.abort {
            members["abort"] = .object(["http_status": .int(abort.status), "percentage": .percent(abort.percent)])
        }
        return JSON.object(members).typed(EnvoyType.fault)
    }
}
