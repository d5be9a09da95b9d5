import Foundation
import MeshDiagnostics
import MeshSnapshot
import MeshTestSupport
import Testing

/// `RouteBinary` against real Envoy: every route configuration the compile
/// goldens hold (every route feature meshc emits) is loaded over RDS once
/// from its JSON file and once from its `.pb` file, with unknown fields
/// refused; Envoy's config dump of the two must be the same.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct RouteBinaryEnvoyTests {
    @Test func envoyLoadsTheSameRouteConfigurationsFromProtobufAsFromJSON() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let routes = try Self.goldenRoutes()
        try #require(routes.count >= 50, "the goldens hold \(routes.count) route configurations")
        let binary = RouteBinary()
        // Each file subscription holds an inotify instance (128 per user by default): 25 configurations, 50 files, per Envoy.
        for (batch, start) in stride(from: 0, to: routes.count, by: 25).enumerated() {
            let slice = Array(routes[start..<min(start + 25, routes.count)])
            var listeners: [JSON] = []
            for (index, route) in slice.enumerated() {
                let json = try bed.write("routes/\(route.name).json", DiscoveryResponse.text(.route, [route], versionInfo: route.version))
                let pb = bed.folder.appendingPathComponent("routes/\(route.name).pb")
                try Data(try binary.file(route)).write(to: pb)
                listeners.append(Self.listener("json-\(index)", route: route.name, file: json))
                listeners.append(Self.listener("pb-\(index)", route: route.name, file: pb.path))
            }
            let bootstrap = JSON.object([
                "node": .object(["id": .string("route-binary"), "cluster": .string("route-binary")]),
                "admin": .object(["address": Self.loopback]),
                "static_resources": .object(["listeners": .array(listeners)]),
            ])
            let envoy = try bed.envoy(bootstrap: try bed.write("bootstrap-\(batch).json", bootstrap.rendered()),
                                      extraArguments: ["--reject-unknown-dynamic-fields"])
            var configs: [JSON] = []
            _ = poll(seconds: 20, every: 0.1) {
                configs = (try? JSON.parse(envoy.admin("/config_dump?resource=dynamic_route_configs").body))?["configs"]?.items ?? []
                return configs.count >= 2 * slice.count
            }
            let loaded = Dictionary(grouping: configs) { $0["route_config"]?["name"]?.text ?? "" }
            for route in slice {
                let pair = loaded[route.name] ?? []
                #expect(pair.count == 2, "\(route.name): Envoy holds \(pair.count) of its 2 loads\n\(envoy.logTail())")
                guard pair.count == 2 else { continue }
                #expect(pair[0]["route_config"] == pair[1]["route_config"], "\(route.name): JSON and protobuf loads differ")
                #expect(pair[0]["version_info"] == pair[1]["version_info"] && pair[0]["version_info"]?.text == route.version)
            }
            envoy.process.stop()
        }
    }

    /// Each golden RDS file's route configurations, renamed `r<N>` (names
    /// repeat across goldens) and with `validate_clusters` off (no clusters here).
    static func goldenRoutes() throws -> [EnvoyResource] {
        let root = Repository.url("Tests/MeshCompileTests/Golden")
        let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".json") && $0.split(separator: "/").dropLast().last == "routes" }.sorted()
        var routes: [EnvoyResource] = []
        for file in files {
            let response = try JSON.parse(Data(contentsOf: root.appendingPathComponent(file)))
            for item in response["resources"]?.items ?? [] {
                guard case .object(var members) = item else { continue }
                members["name"] = .string("r\(routes.count)")
                members["validate_clusters"] = .bool(false)
                routes.append(try EnvoyResource(kind: .route, json: .object(members)))
            }
        }
        return routes
    }

    static let loopback = JSON.object(["socket_address": .object(["address": .string("127.0.0.1"), "port_value": .int(0)])])

    /// A listener on a free loopback port whose connection manager reads `route` over RDS from `file`.
    static func listener(_ name: String, route: String, file: String) -> JSON {
        let manager = JSON.object([
            "@type": .string("type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"),
            "stat_prefix": .string(name),
            "rds": .object([
                "config_source": .object(["path_config_source": .object(["path": .string(file)]), "resource_api_version": .string("V3")]),
                "route_config_name": .string(route),
            ]),
            "http_filters": .array([.object([
                "name": .string("envoy.filters.http.router"),
                "typed_config": .object(["@type": .string("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router")]),
            ])]),
        ])
        return .object([
            "name": .string(name), "address": loopback,
            "filter_chains": .array([.object(["filters": .array([.object([
                "name": .string("envoy.filters.network.http_connection_manager"), "typed_config": manager,
            ])])])]),
        ])
    }
}
