import MeshDiagnostics
@testable import MeshSnapshot
import Testing

/// `ProtoJSON`, `RouteBinary` and the agent's route file names, without
/// Envoy (`RouteBinaryEnvoyTests` loads the goldens into real Envoy).
struct ProtoJSONTests {
    let encoder = ProtoJSON(schema: .routes)

    @Test func aRetryPolicyHasTheWireBytesProtocolBuffersDefine() throws {
        let json = try JSON.parse(#"{"host_selection_retry_max_attempts":5,"num_retries":2,"per_try_timeout":"0.250s","retriable_status_codes":[503,504],"retry_on":"5xx"}"#)
        let bytes = try encoder.encode(json, as: "envoy.config.route.v3.RetryPolicy")
        #expect(bytes == [
            0x30, 0x05, // host_selection_retry_max_attempts (6, varint) 5
            0x12, 0x02, 0x08, 0x02, // num_retries (2): UInt32Value { value: 2 }
            0x1a, 0x05, 0x10, 0x80, 0xe5, 0x9a, 0x77, // per_try_timeout (3): Duration { nanos: 250000000 }
            0x3a, 0x04, 0xf7, 0x03, 0xf8, 0x03, // retriable_status_codes (7), packed: 503, 504
            0x0a, 0x03, 0x35, 0x78, 0x78, // retry_on (1): "5xx"
        ])
    }

    @Test func durationsParseAsProtobufJSONWritesThem() {
        #expect(ProtoJSON.duration("0s")! == (0, 0))
        #expect(ProtoJSON.duration("15s")! == (15, 0))
        #expect(ProtoJSON.duration("1.5s")! == (1, 500_000_000))
        #expect(ProtoJSON.duration("-0.250s")! == (0, -250_000_000))
        #expect(ProtoJSON.duration("0.000000001s")! == (0, 1))
        for bad in ["", "s", "1", "1.s", ".5s", "1.0000000001s", "1e3s", "+1s", "1.5 s"] {
            #expect(ProtoJSON.duration(bad) == nil, "\(bad)")
        }
    }

    @Test func whatTheSchemaDoesNotKnowIsAnErrorNamingTheField() throws {
        let route = try JSON.parse(#"{"name":"http.80","virtual_hosts":[{"name":"a","domains":["*"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c","internal_redirect_policy":{}}}]}]}"#)
        #expect(throws: ProtoEncodingError(path: "virtual_hosts[0].routes[0].route.internal_redirect_policy",
                                            reason: "envoy.config.route.v3.RouteAction has no field \"internal_redirect_policy\" this agent can write in binary")) {
            try encoder.encode(route, as: "envoy.config.route.v3.RouteConfiguration")
        }
        let lua = try JSON.parse(#"{"typed_per_filter_config":{"envoy.filters.http.lua":{"@type":"type.googleapis.com/envoy.extensions.filters.http.lua.v3.LuaPerRoute","disabled":true}}}"#)
        #expect(throws: ProtoEncodingError.self) { try encoder.encode(lua, as: "envoy.config.route.v3.Route") }
        for (json, message) in [(#"{"num_retries":-1}"#, "envoy.config.route.v3.RetryPolicy"), (#"{"num_retries":"two"}"#, "envoy.config.route.v3.RetryPolicy"),
                                (#"{"response_code":"TEAPOT"}"#, "envoy.config.route.v3.RedirectAction"), (#"{"timeout":"soon"}"#, "envoy.config.route.v3.RouteAction"),
                                (#"{"domains":"*"}"#, "envoy.config.route.v3.VirtualHost")] {
            #expect(throws: ProtoEncodingError.self, "\(json)") { try encoder.encode(try JSON.parse(json), as: message) }
        }
    }

    @Test func aTypeInsideAVirtualHostIsAnErrorNotDropped() throws {
        let route = try EnvoyResource(kind: .route, json: try JSON.parse(#"{"@type":"type.googleapis.com/envoy.config.route.v3.RouteConfiguration","name":"http.80","virtual_hosts":[{"@type":"x","domains":["*"],"name":"all"}]}"#))
        #expect(throws: ProtoEncodingError(path: "route configuration http.80: virtual_hosts[0].@type",
                                            reason: "envoy.config.route.v3.VirtualHost has no field \"@type\" this agent can write in binary")) {
            try RouteBinary().file(route)
        }
    }

    @Test func anAnyCarriesItsTypeAndTheMessageItNames() throws {
        let json = try JSON.parse(#"{"name":"envoy.retry_host_predicates.previous_hosts","typed_config":{"@type":"type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"}}"#)
        let bytes = try encoder.encode(json, as: "envoy.config.route.v3.RetryPolicy.RetryHostPredicate")
        let url = Array("type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate".utf8)
        let name = Array("envoy.retry_host_predicates.previous_hosts".utf8)
        #expect(bytes == [0x0a, UInt8(name.count)] + name + [0x1a, UInt8(url.count + 4), 0x0a, UInt8(url.count)] + url + [0x12, 0x00])
    }

    @Test func routeFilesAreTheSameWhateverTheHostCacheHolds() throws {
        func route(_ hosts: [String]) throws -> EnvoyResource {
            let items = hosts.map { #"{"name":"\#($0)","domains":["\#($0).example"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"\#($0)","timeout":"2s"}}]}"# }
            return try EnvoyResource(kind: .route, json: try JSON.parse(#"{"@type":"type.googleapis.com/envoy.config.route.v3.RouteConfiguration","name":"http.80","validate_clusters":true,"virtual_hosts":[\#(items.joined(separator: ","))]}"#))
        }
        let warm = RouteBinary()
        _ = try warm.file(try route(["a", "b", "c"]))
        let changed = try route(["a", "b2", "c"])
        #expect(try warm.file(changed) == (try RouteBinary().file(changed)))
        // A host named by another's version is encoded from its own bytes: versions are not trusted.
        let real = try route(["a"]), other = try route(["z"])
        let forged = EnvoyResource(kind: .route, name: "http.80", bytes: other.bytes, version: other.version,
                                   virtualHosts: other.virtualHosts.map { VirtualHostDigest(name: $0.name, version: real.virtualHosts[0].version, range: $0.range) })
        _ = try warm.file(real)
        #expect(try warm.file(forged) == (try RouteBinary().file(other)))
    }

    @Test func theHostCacheStaysUnderItsByteLimit() throws {
        func route(_ prefix: String) throws -> EnvoyResource {
            let items = (0..<20).map { #"{"name":"\#(prefix)\#($0)","domains":["\#(prefix)\#($0).example"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"c"}}]}"# }
            return try EnvoyResource(kind: .route, json: try JSON.parse(#"{"@type":"type.googleapis.com/envoy.config.route.v3.RouteConfiguration","name":"http.80","virtual_hosts":[\#(items.joined(separator: ","))]}"#))
        }
        let binary = RouteBinary(byteLimit: 8_000)
        for round in 0..<20 {
            let next = try route("r\(round)-")
            #expect(try binary.file(next) == (try RouteBinary().file(next)))
            #expect(binary.keptBytes <= 8_000, "round \(round): \(binary.keptBytes) bytes kept")
        }
        #expect(binary.keptBytes > 0)
    }

    @Test func aRouteConfigurationWithoutHostsIsItsFieldsInAnAnyInADiscoveryResponse() throws {
        let empty = try EnvoyResource(kind: .route, json: try JSON.parse(#"{"@type":"type.googleapis.com/envoy.config.route.v3.RouteConfiguration","name":"x","virtual_hosts":[]}"#))
        let url = Array(EnvoyKind.route.typeURL.utf8), version = Array(empty.version.utf8)
        let configuration: [UInt8] = [0x0a, 0x01, UInt8(ascii: "x")]
        let any = [0x0a, UInt8(url.count)] + url + [0x12, UInt8(configuration.count)] + configuration
        #expect(try RouteBinary().file(empty) == [0x0a, UInt8(version.count)] + version + [0x12, UInt8(any.count)] + any + [0x22, UInt8(url.count)] + url)
    }

    @Test func onlyRouteFilesOfAListenerAreRenamed() {
        let listener = #"{"rds":{"config_source":{"path_config_source":{"path":"meshc:routes/http.80.json"}}},"sds":{"path_config_source":{"path":"meshc:secrets/web.json"}},"x":{"path":"meshc:routes/b%2Fc.json"},"note":"meshc:routes/y.json"}"#
        let renamed = RouteSource.renamingRouteFiles(listener, to: ".pb")
        #expect(renamed == #"{"rds":{"config_source":{"path_config_source":{"path":"meshc:routes/http.80.pb"}}},"sds":{"path_config_source":{"path":"meshc:secrets/web.json"}},"x":{"path":"meshc:routes/b%2Fc.pb"},"note":"meshc:routes/y.json"}"#)
        #expect(RouteSource.renamingRouteFiles(#"{"path":"meshc:routes/a.pb"}"#, to: ".pb") == #"{"path":"meshc:routes/a.pb"}"#)
    }
}
