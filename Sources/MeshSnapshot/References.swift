import MeshDiagnostics

/// What a snapshot's resources name: the route configurations each listener
/// asks for over RDS, and the clusters each listener and route configuration
/// sends traffic to. The emitter knows them from the IR; a parsed bundle's
/// are read from its JSON (`extract`).
package struct References: Sendable, Equatable {
    /// Listener name → the route configurations it names.
    package var listenerRoutes: [String: Set<String>] = [:]
    /// Listener or route configuration name → the clusters it names (routes, weighted clusters, mirrors, TCP proxies).
    package var listenerClusters: [String: Set<String>] = [:]
    package var routeClusters: [String: Set<String>] = [:]
    /// Listener name → the snapshot's SDS secrets it names (`GatewaySecret`; not mesh mTLS's `SecretSource` files).
    package var listenerSecrets: [String: Set<String>] = [:]

    package init() {}

    /// Every cluster anything names.
    package var clusters: Set<String> {
        listenerClusters.values.reduce(into: Set()) { $0.formUnion($1) }.union(routeClusters.values.reduce(into: Set()) { $0.formUnion($1) })
    }

    /// Every secret a listener names.
    package var secrets: Set<String> { listenerSecrets.values.reduce(into: Set()) { $0.formUnion($1) } }

    /// Every route configuration a listener names.
    package var routes: Set<String> { listenerRoutes.values.reduce(into: Set()) { $0.formUnion($1) } }

    /// The references in parsed resources: `rds.route_config_name` in
    /// listeners; `cluster` strings, `weighted_clusters.clusters[].name` in
    /// listeners and route configurations.
    package static func extract(listeners: [(name: String, json: JSON)], routes: [(name: String, json: JSON)]) -> References {
        var references = References()
        for (name, json) in listeners {
            var found = Found()
            found.visit(json, key: nil)
            references.listenerRoutes[name] = found.routes
            references.listenerClusters[name] = found.clusters
            if !found.secrets.isEmpty { references.listenerSecrets[name] = found.secrets }
        }
        for (name, json) in routes {
            var found = Found()
            found.visit(json, key: nil)
            references.routeClusters[name] = found.clusters
        }
        return references
    }

    /// The clusters parsed JSON (a virtual host, a route) names, by the rules of `extract`.
    package static func clusters(in json: JSON) -> Set<String> {
        var found = Found()
        found.visit(json, key: nil)
        return found.clusters
    }

    private struct Found {
        var routes = Set<String>()
        var clusters = Set<String>()
        var secrets = Set<String>()

        mutating func visit(_ json: JSON, key: String?) {
            switch json {
            case .object(let members):
                if key == "rds", let name = members["route_config_name"]?.text { routes.insert(name) }
                if let cluster = members["cluster"]?.text { clusters.insert(cluster) }
                if key == "tls_certificate_sds_secret_configs" || key == "validation_context_sds_secret_config",
                   let name = members["name"]?.text, GatewaySecret.isSnapshotSecret(members["sds_config"]) { secrets.insert(name) }
                if key == "weighted_clusters" {
                    for item in members["clusters"]?.items ?? [] { if let name = item["name"]?.text { clusters.insert(name) } }
                }
                for (key, value) in members { visit(value, key: key) }
            case .array(let items):
                for item in items { visit(item, key: key) }
            default:
                break
            }
        }
    }
}
