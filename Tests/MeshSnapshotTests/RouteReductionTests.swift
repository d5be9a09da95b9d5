import MeshDiagnostics
import MeshEmit
import MeshIR
@testable import MeshSnapshot
import Testing

/// A changed route configuration is validated by its changed hosts in full
/// and stubs (name and domains) of the rest.
struct RouteReductionTests {
    static func host(_ name: String, domains: [String], cluster: String) -> VirtualHost {
        VirtualHost(name: name, domains: domains, routes: [
            Route(name: "r", match: RouteMatch(path: .prefix("/")), action: .cluster(cluster),
                  source: Route.Source(file: "vs.yaml", line: 1, virtualService: "vs.default")),
        ])
    }

    static func proxy(_ hosts: [VirtualHost]) -> ProxyConfig {
        let clusters = Set(hosts.flatMap { $0.routes.compactMap { route -> String? in
            if case .cluster(let name) = route.action { return name } else { return nil }
        } })
        return ProxyConfig(
            name: "gw", role: .gateway, adminPort: 15000,
            listeners: [Listener(name: "127.0.0.1_8080", address: "127.0.0.1", port: 8080, routeConfigName: "http.80")],
            routeConfigs: [RouteConfig(name: "http.80", virtualHosts: hosts)],
            clusters: clusters.sorted().map { Cluster(name: $0, endpoints: [Endpoint(address: "127.0.0.1", port: 9000)], discovery: .static) })
    }

    static let before = proxy([
        host("a:80", domains: ["a.example.com", "a.example.com:80"], cluster: "outbound|80||a"),
        host("b:80", domains: ["b.example.com"], cluster: "outbound|80||b"),
        host("c:80", domains: ["c.example.com"], cluster: "outbound|80||c"),
    ])

    @Test func onlyTheChangedHostIsWholeAndOnlyItsClustersAreNamed() throws {
        var after = Self.before
        after.routeConfigs[0].virtualHosts[1] = Self.host("b:80", domains: ["b.example.com"], cluster: "outbound|80||c")
        let running = Emitter.emit(Self.before).snapshot, desired = Emitter.emit(after).snapshot
        let text = try #require(ValidationBootstrap.text(from: running, to: desired))
        let json = try JSON.parse(text)
        let listeners = try #require(json["static_resources"]?["listeners"]?.items)
        #expect(listeners.count == 1)
        let manager = listeners[0]["filter_chains"]?.items.first?["filters"]?.items.first?["typed_config"]
        let hosts = try #require(manager?["route_config"]?["virtual_hosts"]?.items)
        #expect(hosts.map { $0["name"]?.text } == ["a:80", "b:80", "c:80"])
        // Stubs: their domains exactly, no routes.
        #expect(hosts[0] == JSON.object(["name": .string("a:80"), "domains": .array([.string("a.example.com"), .string("a.example.com:80")])]))
        #expect(hosts[2]["routes"] == nil)
        #expect(hosts[1]["routes"]?.items.count == 1)
        #expect(json["static_resources"]?["clusters"]?.items.compactMap { $0["name"]?.text } == ["outbound|80||c"])
    }

    @Test func aNewRouteConfigurationIsValidatedWhole() throws {
        let desired = Emitter.emit(Self.before).snapshot
        let text = try #require(ValidationBootstrap.text(from: nil, to: desired))
        let json = try JSON.parse(text)
        #expect(json["static_resources"]?["clusters"]?.items.count == 3)
    }

    @Test(arguments: [
        (#"{"domains":["a"],"name":"x"}"#, #"["a"]"#),
        (#"{"cors":{"domains":["no"],"s":"\"domains\":[\"no\"]"},"domains":["a]","b\"c"],"name":"x"}"#, #"["a]","b\"c"]"#),
        (#"{"name":"x","routes":[{"domains":["no"]}]}"#, nil),
        (#"{"name":"\"domains\":[1]"}"#, nil),
        (#"{"domains":"#, nil),
        (#"["domains"]"#, nil),
    ] as [(String, String?)])
    func theDomainsAreFoundAmongTheHostsOwnMembersOnly(object: String, domains: String?) {
        let bytes = ArraySlice(Array(object.utf8))
        let range = JSONScan.member("domains", inObject: bytes)
        #expect(range.map { String(decoding: bytes[$0], as: UTF8.self) } == domains)
    }
}
