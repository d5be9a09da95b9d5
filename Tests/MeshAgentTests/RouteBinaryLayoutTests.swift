import MeshDiagnostics
import MeshSnapshot
import Testing
@testable import MeshAgent

/// The agent's default: route configurations in `.pb` files the listeners name.
struct RouteBinaryLayoutTests {
    let layout = DeliveryLayout(folder: "/state")

    @Test func listenersNameProtobufRouteFilesAndTheFilesAreProtobuf() throws {
        let snapshot = Fixture.bundle(clusters: ["a"], routeTo: "a")
        let lds = try JSON.parse(layout.listenersFile(snapshot).text)
        let manager = lds["resources"]?.items.first?["filter_chains"]?.items.first?["filters"]?.items.first?["typed_config"]
        #expect(manager?["rds"]?["config_source"]?["path_config_source"]?["path"]?.text == "/state/routes/http.80.pb")
        let file = layout.routeFile(snapshot[.route][0])
        #expect(file.path == "routes/http.80.pb")
        #expect(file.bytes == (try RouteBinary().file(snapshot[.route][0])))
        #expect(layout.allFiles(snapshot).map(\.path).contains("routes/http.80.pb"))
        #expect(layout.unwritableRoute(in: snapshot, over: nil) == nil)
    }

    @Test func aRouteConfigurationWithoutABinaryFormIsNamedBeforeAnythingIsWritten() throws {
        let good = Fixture.bundle(clusters: ["a"], routeTo: "a")
        var route = Fixture.route("http.80", cluster: "a")
        route = route.replacing("virtual_hosts", with: .array([try JSON.parse(#"{"name":"all","domains":["*"],"routes":[{"match":{"prefix":"/"},"route":{"cluster":"a","internal_redirect_policy":{"max_internal_redirects":3}}}]}"#)]))
        let responses: [EnvoyKind: JSON] = [
            .cluster: .object(["resources": .array([Fixture.cluster("a", port: 1000)])]),
            .listener: .object(["resources": .array([Fixture.listener("l80", port: 80, route: "http.80")])]),
            .route: .object(["resources": .array([route])]),
        ]
        let bad = try ProxySnapshot(proxy: "gw", responses: responses, origin: "test")
        let reason = try #require(layout.unwritableRoute(in: bad, over: good))
        #expect(reason.contains("route configuration http.80: virtual_hosts[0].routes[0].route.internal_redirect_policy"), "\(reason)")
        #expect(reason.contains("--route-format json"), "\(reason)")
        #expect(DeliveryLayout(folder: "/state", routeFormat: .json).unwritableRoute(in: bad, over: good) == nil)
        // What the agent already runs is not encoded again.
        #expect(layout.unwritableRoute(in: bad, over: bad) == nil)
    }
}
