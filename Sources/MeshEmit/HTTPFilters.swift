import MeshDiagnostics
import MeshIR

/// The HTTP filters of a connection manager. The routing filters are the same
/// on every listener, so a route can gain CORS or a fault without a listener
/// change (which would drain connections): CORS, then fault injection, then
/// the router (Istio's order). Chains that enforce AuthorizationPolicy and
/// RequestAuthentication (every gateway and sidecar inbound chain) have
/// `jwt_authn` (when issuers are trusted) and the three RBAC filters first,
/// so a request is authenticated and authorized before anything else sees
/// it. The RBAC rules come with the routes (`RBACBuilder.perRoute`): a
/// policy change is a route change; a change of trusted issuers is a listener change.
enum HTTPFilters {
    static let routing: [JSON] = [
        .object(["name": .string(EnvoyFilter.cors), "typed_config": JSON.object([:]).typed(EnvoyType.cors)]),
        .object(["name": .string(EnvoyFilter.fault), "typed_config": JSON.object([:]).typed(EnvoyType.fault)]),
        .object(["name": .string(EnvoyFilter.router), "typed_config": JSON.object([:]).typed(EnvoyType.router)]),
    ]

    /// The filters of a chain enforcing `authorization` (nil: the routing filters alone).
    static func chain(_ authorization: Authorization?) -> JSON {
        guard let authorization else { return .array(routing) }
        let authn = JWTAuthnBuilder.filter(authorization.jwtProviders).map { [$0] } ?? []
        let custom = authorization.custom.map(ExtAuthzBuilder.filters) ?? []
        return .array(authn + custom + RBACBuilder.httpFilters + routing)
    }
}

extension EnvoyType {
    static let httpRBAC = "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC"
    static let httpRBACPerRoute = "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute"
    static let networkRBAC = "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC"
    static let jwtAuthn = "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication"
    static let uriTemplateMatch = "type.googleapis.com/envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig"
}

extension EnvoyFilter {
    static let networkRBAC = "envoy.filters.network.rbac"
    static let jwtAuthn = "envoy.filters.http.jwt_authn"
}
