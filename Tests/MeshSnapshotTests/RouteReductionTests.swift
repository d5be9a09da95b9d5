import MeshDiagnostics
import MeshEmit
import MeshIR
@testable import MeshSnapshot
import Testing

/// A changed route configuration is validated by its changed hosts in full
/// and stubs (name and domains) of the rest.
struct RouteReductionTests {
    static let before = TestGateway.proxy([
        TestGateway.host("a:80", domains: ["a.example.com", "a.example.com:80"], cluster: "outbound|80||a"),
        TestGateway.host("b:80", domains: ["b.example.com"], cluster: "outbound|80||b"),
        TestGateway.host("c:80", domains: ["c.example.com"], cluster: "outbound|80||c"),
    ])

    @Test func onlyTheChangedHostIsWholeAndOnlyItsClustersAreNamed() throws {
        var after = Self.before
        after.routeConfigs[0].virtualHosts[1] = TestGateway.host("b:80", domains: ["b.example.com"], cluster: "outbound|80||c")
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
