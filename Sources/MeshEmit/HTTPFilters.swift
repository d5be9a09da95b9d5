import MeshDiagnostics

/// The HTTP filters of every connection manager, the same on every listener
/// so a route can gain CORS or a fault without a listener change (which
/// would drain connections): CORS, then fault injection, then the router (Istio's order).
enum HTTPFilters {
    static let chain: JSON = .array([
        .object(["name": .string(EnvoyFilter.cors), "typed_config": JSON.object([:]).typed(EnvoyType.cors)]),
        .object(["name": .string(EnvoyFilter.fault), "typed_config": JSON.object([:]).typed(EnvoyType.fault)]),
        .object(["name": .string(EnvoyFilter.router), "typed_config": JSON.object([:]).typed(EnvoyType.router)]),
    ])
}
