import MeshDiagnostics

/// The bootstrap of an Envoy that reads its clusters and listeners from
/// files (`path_config_source`; the listeners then read their route and
/// secret files): node `proxy`, admin on loopback only, meshc's runtime
/// and the proxy's stats config. The agent writes it into its state folder
/// (`DeliveryLayout`); `meshc build` beside its xDS files.
package enum FileBootstrap {
    /// The bootstrap's members (a caller may add `static_resources`).
    package static func members(proxy: String, adminPort: Int, clusters: String, listeners: String, stats: JSON) -> JSONObject {
        func source(_ path: String) -> JSON {
            .object(["path_config_source": .object(["path": .string(path)]), "resource_api_version": .string("V3")])
        }
        return [
            "node": .object(["id": .string(proxy), "cluster": .string(proxy)]),
            "admin": .object(["address": .object(["socket_address": .object([
                "address": .string("127.0.0.1"), "port_value": .int(adminPort),
            ])])]),
            "dynamic_resources": .object(["cds_config": source(clusters), "lds_config": source(listeners)]),
            "layered_runtime": EnvoyRuntime.layeredRuntime,
            "stats_config": stats,
        ]
    }
}
