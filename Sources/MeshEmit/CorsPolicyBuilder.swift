import MeshDiagnostics
import MeshIR

extension EnvoyType {
    static let cors = "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors"
    static let corsPolicy = "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy"
}

extension EnvoyFilter {
    static let cors = "envoy.filters.http.cors"
}

/// Builds an Envoy v3 CORS `CorsPolicy` (a route's `typed_per_filter_config` entry), as Istio translates corsPolicy.
enum CorsPolicyBuilder {
    static func build(_ policy: CorsPolicy) -> JSON {
        var members: JSONObject = [
            "allow_origin_string_match": .array(policy.allowOrigins.map(RouteBuilder.stringMatch)),
            "forward_not_matching_preflights": .bool(policy.forwardUnmatchedPreflights),
        ]
        if !policy.allowMethods.isEmpty { members["allow_methods"] = .string(policy.allowMethods.joined(separator: ",")) }
        if !policy.allowHeaders.isEmpty { members["allow_headers"] = .string(policy.allowHeaders.joined(separator: ",")) }
        if !policy.exposeHeaders.isEmpty { members["expose_headers"] = .string(policy.exposeHeaders.joined(separator: ",")) }
        if let seconds = policy.maxAgeSeconds { members["max_age"] = .string(String(seconds)) }
        if let credentials = policy.allowCredentials { members["allow_credentials"] = .bool(credentials) }
        return JSON.object(members).typed(EnvoyType.corsPolicy)
    }
}
