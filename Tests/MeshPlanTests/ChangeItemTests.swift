import MeshDiagnostics
import MeshEmit
import MeshPlan
import MeshSnapshot
import Testing

/// The values behind each line of a plan: what a route, an endpoint list or
/// a field was and becomes, as `--format json` gives them.
@Suite struct ChangeItemTests {
    /// The items of resource `name` of `type` going from `running` to `desired` (YAML).
    static func items(_ type: EnvoyKind, _ name: String, from running: String?, to desired: String?) -> [ChangeItem] {
        let plan = Planner.plan(desired: desired.map { Mesh.proxies($0) } ?? [], running: running.map { Mesh.proxies($0) } ?? [])
        return plan.proxies.flatMap(\.changes).first { $0.type == type && $0.name == name }?.items ?? []
    }

    static let foo = ChangeDetailsTests.foo, bar = ChangeDetailsTests.bar

    @Test func anAddedRouteCarriesItsMatchAndTarget() throws {
        let items = Self.items(.route, "http.80", from: Mesh.echo(http: Mesh.allToFoo), to: Mesh.echo(http: Mesh.pathRouting))
        let added = try #require(items.first)
        #expect(items.count == 1)
        #expect(added.kind == .route && added.identity["part"] == .string("route"))
        #expect(added.identity["virtual_host"] == .string("*:80"))
        #expect(added.identity["match"]?["prefix"] == .string("/bar"))
        #expect(added.before == nil)
        let after = try #require(added.after)
        #expect(after["match"] == added.identity["match"])
        #expect(after["route"]?["cluster"] == .string(Self.bar))
        #expect(after["name"] == nil && after["metadata"] == nil, "names and metadata are not values")
    }

    @Test func aNewTargetAndARemovedRouteCarryBothSides() throws {
        let items = Self.items(.route, "http.80", from: Mesh.echo(http: Mesh.pathRouting), to: Mesh.echo(http: Mesh.weighted))
        #expect(items.map(\.text) == ["* /* on *:80: foo.default:80 → foo.default:80 90%, bar.default:80 10%", "- * /bar* on *:80"])
        let target = items[0], removed = items[1]
        #expect(target.identity["part"] == .string("target"))
        #expect(target.before == .object(["cluster": .string(Self.foo)]))
        let shares = target.after?["weighted_clusters"]?["clusters"]?.items ?? []
        #expect(shares.map { $0["name"] } == [.string(Self.foo), .string(Self.bar)])
        #expect(shares.map { $0["weight"] } == [.int(90), .int(10)])
        #expect(removed.identity["part"] == .string("route") && removed.after == nil)
        #expect(removed.before?["route"]?["cluster"] == .string(Self.bar))
    }

    @Test func changedSettingsCarryTheSettingsOnBothSides() throws {
        let slow = Mesh.echo(http: """
              - route: [{destination: {host: foo, port: {number: 80}}}]
                timeout: 5s
            """)
        let item = try #require(Self.items(.route, "http.80", from: Mesh.echo(http: Mesh.allToFoo), to: slow).first)
        #expect(item.identity["part"] == .string("settings"))
        #expect(item.before?["route"]?["timeout"] == .string("0s"))
        #expect(item.after?["route"]?["timeout"] == .string("5s"))
        #expect(item.after?["route"]?["cluster"] == nil, "the target is not a setting")
    }

    @Test func endpointsCarryTheAddressLists() throws {
        let one = Mesh.echo(http: Mesh.allToFoo), two = Mesh.echo(http: Mesh.allToFoo, fooAddresses: ["127.0.0.1", "127.0.0.2"])
        let expected = ChangeItem(.endpoints, "endpoints of foo.default:80: 127.0.0.1:18081 → 127.0.0.1:18081, 127.0.0.2:18081",
                                  identity: ["cluster": .string(Self.foo)],
                                  before: .array([.string("127.0.0.1:18081")]),
                                  after: .array([.string("127.0.0.1:18081"), .string("127.0.0.2:18081")]))
        #expect(Self.items(.endpoint, Self.foo, from: one, to: two) == [expected])
        #expect(Self.items(.cluster, Self.foo, from: one, to: two) == [expected])
        let created = try #require(Self.items(.endpoint, Self.bar, from: one, to: Mesh.echo(http: Mesh.pathRouting)).first)
        #expect(created.before == nil && created.after == .array([.string("127.0.0.1:18082")]))
    }

    @Test func fieldsCarryTheirWholeValues() throws {
        let long = String(repeating: "x", count: 100)
        let old = Mesh.resource(.cluster, .object(["name": .string("c"), "connect_timeout": .string("10s"), "alt_stat_name": .string(long)]))
        let new = Mesh.resource(.cluster, .object(["name": .string("c"), "connect_timeout": .string("5s")]))
        let plan = Planner.plan(desired: [ProxySnapshot(proxy: "p", clusters: [new])], running: [ProxySnapshot(proxy: "p", clusters: [old])])
        let items = plan.proxies[0].changes[0].items
        #expect(items.map(\.kind) == [.field, .field])
        #expect(items[0].identity == ["path": .string("alt_stat_name")])
        #expect(items[0].before == .string(long) && items[0].after == nil, "values are whole; only the text is shortened")
        #expect(items[0].text == "alt_stat_name: \"\(String(repeating: "x", count: 58))… → (none)")
        #expect(items[1] == ChangeItem(.field, #"connect_timeout: "10s" → "5s""#, identity: ["path": .string("connect_timeout")],
                                       before: .string("10s"), after: .string("5s")))
    }

    @Test func domainsAndRouteOrderCarryBothLists() throws {
        typealias L = RouteLinesTests
        let a = L.route(.object(["prefix": .string("/a")]), L.cluster("c")), b = L.route(.object(["prefix": .string("/b")]), L.cluster("c"))
        let old = L.config([(name: "h", domains: ["x"], routes: [a, b])]), new = L.config([(name: "h", domains: ["x", "y"], routes: [b, a])])
        let items = L.items(from: old, to: new)
        #expect(items == [
            ChangeItem(.order, "routes on h reordered (the first match wins)", identity: ["virtual_host": .string("h")],
                       before: .array([.string("* /a*"), .string("* /b*")]), after: .array([.string("* /b*"), .string("* /a*")])),
            ChangeItem(.domains, "domains of h: x → x, y", identity: ["virtual_host": .string("h")],
                       before: .array([.string("x")]), after: .array([.string("x"), .string("y")])),
        ])
    }

    @Test func longListsEndInACountAndNotesCarryNoValues() throws {
        typealias L = RouteLinesTests
        let routes = (0..<60).map { L.route(.object(["path": .string("/p\($0)")]), L.cluster("c")) }
        let more = try #require(L.items(from: nil, to: L.config([("h", ["*"], routes)])).last)
        #expect(more == ChangeItem(.more, "… 10 more route changes", identity: ["count": .int(10)]))
        #expect(more.json == .object(["kind": .string("more"), "text": .string("… 10 more route changes"), "count": .int(10),
                                      "before": .null, "after": .null]))
        let echo = Mesh.echo(http: Mesh.allToFoo)
        let renamed = Self.items(.route, "http.80", from: echo, to: echo.replacingOccurrences(of: "name: echo, namespace", with: "name: echo2, namespace"))
        #expect(renamed == [ChangeItem(.note, "only route names or metadata changed")])
    }
}
