import Foundation
import MeshDiagnostics

/// The static bootstrap `envoy --mode validate` checks before a snapshot
/// goes live, spliced from the resources' bytes (nothing is parsed).
///
/// Only what a change brings is checked: the listeners that are new or
/// changed (their route configurations inline), the route configurations
/// that are new or changed (each inline in a plain listener of its own; a
/// changed one as its changed hosts and stubs of the rest, `RouteReduction`),
/// and every cluster those name or the change brings. Nothing proxy-specific is
/// added (the node is `meshc-validate`, no admin), so proxies that take the
/// same change get the same bootstrap, and a verdict cache keyed by its
/// hash validates it once per host.
///
/// Snapshot secrets (`GatewaySecret`) go in `static_resources.secrets`:
/// the listeners name them without `sds_config`.
///
/// Secret files (`SecretSource`) are not part of a snapshot and validate
/// mode insists that a file config source exists: their paths become
/// `/dev/null`, which exists and gives Envoy no secret (a soft update
/// failure, as when the agent has not written the certificates yet), so
/// the TLS settings around them are still checked.
package enum ValidationBootstrap {
    /// The bootstrap for moving from `running` to `desired`; nil when
    /// nothing needs checking (only removals, or no change).
    package static func text(from running: ProxySnapshot?, to desired: ProxySnapshot) -> String? {
        func changed(_ kind: EnvoyKind) -> [EnvoyResource] {
            let before = Dictionary((running?[kind] ?? []).map { ($0.name, $0.version) }, uniquingKeysWith: { first, _ in first })
            return desired[kind].filter { before[$0.name] != $0.version }
        }
        let listeners = changed(.listener)
        let routesInListeners = listeners.reduce(into: Set<String>()) { $0.formUnion(desired.references.listenerRoutes[$1.name] ?? []) }
        let runningRoutes = Dictionary((running?[.route] ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // A route configuration that changed and is served on its own is reduced to its changed hosts.
        let routes = changed(.route).filter { !routesInListeners.contains($0.name) }.map { route in
            runningRoutes[route.name].flatMap { RouteReduction(route, since: $0) } ?? RouteReduction(whole: route, clusters: desired.references.routeClusters[route.name] ?? [])
        }
        var clusterNames = Set(changed(.cluster).map(\.name))
        for listener in listeners { clusterNames.formUnion(desired.references.listenerClusters[listener.name] ?? []) }
        for route in routesInListeners { clusterNames.formUnion(desired.references.routeClusters[route] ?? []) }
        for route in routes { clusterNames.formUnion(route.clusters) }
        var secretNames = Set(changed(.secret).map(\.name))
        for listener in listeners { secretNames.formUnion(desired.references.listenerSecrets[listener.name] ?? []) }
        guard !listeners.isEmpty || !routes.isEmpty || !clusterNames.isEmpty || !secretNames.isEmpty else { return nil }

        let routesByName = Dictionary(desired[.route].map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // The runtime the proxies run with (a regex Istio accepts must validate here too).
        var out = "{\"layered_runtime\":" + EnvoyRuntime.rendered
            + ",\"node\":{\"cluster\":\"meshc-validate\",\"id\":\"meshc-validate\"},\"static_resources\":{\"clusters\":["
        let clusters = desired[.cluster].filter { clusterNames.contains($0.name) }
        out += clusters.map { untyped($0.bytes, .cluster) }.joined(separator: ",")
        out += "],\"listeners\":["
        var items = listeners.map { listener in
            inlineRoutes(listener.bytes, routes: (desired.references.listenerRoutes[listener.name] ?? []).sorted().compactMap { routesByName[$0] })
        }
        items += routes.enumerated().map { index, route in hosting(route.bytes, index: index) }
        // Snapshot secrets are static here, named without their `sds_config`.
        out += GatewaySecret.staticReferences(items.joined(separator: ","), names: desired[.secret].map(\.name))
        out += "]"
        let secrets = desired[.secret].filter { secretNames.contains($0.name) }
        if !secrets.isEmpty { out += ",\"secrets\":[" + secrets.map { untyped($0.bytes, .secret) }.joined(separator: ",") + "]" }
        return SecretSource.validationStandIns(out + "}}\n")
    }

    /// A listener's bytes without `@type`, each `"rds":{…}` it carries
    /// (always the unbound form `RouteSource.rds` renders) replaced by the
    /// route configuration inline.
    static func inlineRoutes(_ listener: String, routes: [EnvoyResource]) -> String {
        var text = untyped(listener, .listener)
        for route in routes {
            text = text.replacingAll("\"rds\":" + RouteSource.rds(route.name).rendered(),
                                     with: "\"route_config\":" + untyped(route.bytes, .route))
        }
        return text
    }

    /// A plain HTTP listener (router only) serving `route` inline. Validate
    /// mode binds nothing, so port 0 on loopback is as good as any.
    static func hosting(_ route: String, index: Int) -> String {
        let manager = "{\"http_filters\":[{\"name\":\"envoy.filters.http.router\",\"typed_config\":{\"@type\":"
            + "\"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\"}}],\"route_config\":"
            + untyped(route, .route) + ",\"stat_prefix\":\"validate\"}"
        return "{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":0}},\"filter_chains\":[{\"filters\":[{"
            + "\"name\":\"envoy.filters.network.http_connection_manager\",\"typed_config\":{\"@type\":"
            + "\"type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager\","
            + manager.dropFirst() + "}]}],\"name\":\"meshc-validate-route-\(index)\"}"
    }

    /// A resource's bytes without their leading `"@type"` member (canonical
    /// order puts it first: `@` sorts before every letter), as static resources are written.
    package static func untyped(_ bytes: String, _ kind: EnvoyKind) -> String {
        var prefix = "{\"@type\":"
        JSON.quote(kind.typeURL, into: &prefix)
        guard bytes.hasPrefix(prefix) else { return bytes }
        let rest = bytes.dropFirst(prefix.count)
        return rest.hasPrefix(",") ? "{" + rest.dropFirst() : "{" + rest
    }
}
