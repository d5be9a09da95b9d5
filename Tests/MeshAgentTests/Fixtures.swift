import MeshDiagnostics
import MeshSnapshot
@testable import MeshAgent

/// Small Envoy resources and bundles built the way the compiler emits them.
enum Fixture {
    static let clusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster"
    static let endpointType = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
    static let listenerType = "type.googleapis.com/envoy.config.listener.v3.Listener"
    static let routeType = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration"
    /// JSON route files: the sequence tests read them; `RouteBinaryLayoutTests` covers the agent's default, protobuf.
    static let layout = DeliveryLayout(folder: "/state", routeFormat: .json)

    static func cluster(_ name: String, port: Int) -> JSON {
        .object(["@type": .string(clusterType), "name": .string(name), "type": .string("STATIC"), "connect_timeout": .string("1s"),
                 "load_assignment": .object(["cluster_name": .string(name), "endpoints": .array([.object(["lb_endpoints": .array([
                     .object(["endpoint": .object(["address": .object(["socket_address": .object([
                         "address": .string("127.0.0.1"), "port_value": .int(port)])])])])])])])])])
    }

    static func listener(_ name: String, port: Int, route: String) -> JSON {
        let manager: JSON = .object([
            "@type": .string("type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"),
            "stat_prefix": .string(name),
            "rds": .object(["route_config_name": .string(route), "config_source": .object([
                "path_config_source": .object(["path": .string("/build/gw/routes.json")]), "resource_api_version": .string("V3")])]),
        ])
        return .object(["@type": .string(listenerType), "name": .string(name),
                        "address": .object(["socket_address": .object(["address": .string("127.0.0.1"), "port_value": .int(port)])]),
                        "filter_chains": .array([.object(["filters": .array([.object([
                            "name": .string("envoy.filters.network.http_connection_manager"), "typed_config": manager])])])])])
    }

    static func route(_ name: String, cluster: String) -> JSON {
        .object(["@type": .string(routeType), "name": .string(name), "validate_clusters": .bool(true),
                 "virtual_hosts": .array([.object(["name": .string("all"), "domains": .array([.string("*")]),
                                                   "routes": .array([.object(["match": .object(["prefix": .string("/")]),
                                                                              "route": .object(["cluster": .string(cluster)])])])])])])
    }

    /// A snapshot for proxy `gw`: clusters on ports 1000+, listener `l80` → route `http.80` → `routeTo`.
    static func bundle(clusters: [String], routeTo: String, listeners: [(String, Int, String)] = [("l80", 80, "http.80")],
                       extraRoutes: [(String, String)] = []) -> ProxySnapshot {
        let routes = listeners.map { route($0.2, cluster: routeTo) } + extraRoutes.map { route($0.0, cluster: $0.1) }
        let endpoints: [JSON] = clusters.map { .object(["@type": .string(endpointType), "cluster_name": .string($0), "endpoints": .array([])]) }
        let responses: [EnvoyKind: JSON] = [
            .cluster: .object(["resources": .array(clusters.enumerated().map { cluster($0.element, port: 1000 + $0.offset) })]),
            .endpoint: .object(["resources": .array(endpoints)]),
            .listener: .object(["resources": .array(listeners.map { listener($0.0, port: $0.1, route: $0.2) })]),
            .route: .object(["resources": .array(routes)]),
        ]
        return try! ProxySnapshot(proxy: "gw", responses: responses, origin: "fixture")
    }
}

/// Readouts the way Envoy would show them.
extension EnvoyReadout {
    static func with(clusters: EnvoyReadout.Subscription = .init(), listeners: EnvoyReadout.Subscription = .init(),
                     routes: [String: String] = [:], routesRejected: Int = 0, logged: [String] = []) -> EnvoyReadout {
        var readout = EnvoyReadout()
        readout.clusters = clusters
        readout.listeners = listeners
        readout.routeVersions = routes
        readout.routesRejected = routesRejected
        readout.loggedRejections = logged
        return readout
    }
}
