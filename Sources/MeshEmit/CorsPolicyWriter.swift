import MeshDiagnostics
import MeshIR

extension EnvoyType {
    static let cors = "type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors"
    static let corsPolicy = "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy"
}

extension EnvoyFilter {
    static let cors = "envoy.filters.http.cors"
}

/// Writes an Envoy v3 CORS `CorsPolicy` (a route's `typed_per_filter_config`
/// entry), as Istio translates corsPolicy; members in key order (`RouteWriter`).
enum CorsPolicyWriter {
    static func policy(_ policy: CorsPolicy, into w: inout JSONWriter) {
        w.openObject()
        w.key("@type")
        w.string(EnvoyType.corsPolicy)
        if let credentials = policy.allowCredentials { w.key("allow_credentials"); w.bool(credentials) }
        if !policy.allowHeaders.isEmpty { w.key("allow_headers"); w.string(policy.allowHeaders.joined(separator: ",")) }
        if !policy.allowMethods.isEmpty { w.key("allow_methods"); w.string(policy.allowMethods.joined(separator: ",")) }
        w.key("allow_origin_string_match")
        w.openArray()
        for origin in policy.allowOrigins { RouteWriter.stringMatch(origin, into: &w) }
        w.closeArray()
        if !policy.exposeHeaders.isEmpty { w.key("expose_headers"); w.string(policy.exposeHeaders.joined(separator: ",")) }
        w.key("forward_not_matching_preflights")
        w.bool(policy.forwardUnmatchedPreflights)
        if let seconds = policy.maxAgeSeconds { w.key("max_age"); w.string(String(seconds)) }
        w.closeObject()
    }
}
