import MeshDiagnostics
import MeshEmit
import MeshPlan
import MeshSnapshot
import Testing

/// Route lines for hand-written RouteConfigurations: matches, actions and
/// virtual hosts the compiled samples do not reach.
@Suite struct RouteLinesTests {
    static func route(_ match: JSON, _ action: (String, JSON), extra: JSONObject = [:]) -> JSON {
        .object((["match": match, action.0: action.1] as JSONObject).merging(extra) { a, _ in a })
    }

    static func config(_ hosts: [(name: String, domains: [String], routes: [JSON])]) -> EnvoyResource {
        let json = JSON.object([
            "@type": .string(EnvoyKind.route.typeURL),
            "name": .string("rc"),
            "virtual_hosts": .array(hosts.map { host in
                .object(["name": .string(host.name), "domains": .array(host.domains.map(JSON.string)), "routes": .array(host.routes)])
            }),
        ])
        return try! EnvoyResource(kind: .route, json: json)
    }

    static func lines(from old: EnvoyResource?, to new: EnvoyResource?) -> [String] {
        items(from: old, to: new).map(\.text)
    }

    /// The items of the one route configuration's change (values and all).
    static func items(from old: EnvoyResource?, to new: EnvoyResource?) -> [ChangeItem] {
        let plan = Planner.plan(desired: [ProxySnapshot(proxy: "p", routes: new.map { [$0] } ?? [])],
                                running: [ProxySnapshot(proxy: "p", routes: old.map { [$0] } ?? [])])
        return plan.proxies[0].changes.first?.items ?? []
    }

    static func cluster(_ name: String) -> (String, JSON) { ("route", .object(["cluster": .string(name)])) }

    static func weighted(_ shares: [(String, Int)]) -> (String, JSON) {
        ("route", .object(["weighted_clusters": .object(["clusters": .array(shares.map { .object(["name": .string($0.0), "weight": .int($0.1)]) })])]))
    }

    static let prefix = JSON.object(["prefix": .string("/")])

    @Test(arguments: [
        (JSON.object(["path": .string("/a"), "case_sensitive": .bool(false)]), "* /a (any case) on h"),
        (.object(["safe_regex": .object(["regex": .string("^/v[0-9]+")])]), "* regex(^/v[0-9]+) on h"),
        (.object(["prefix": .string("/"), "headers": .array([
            .object(["name": .string(":method"), "string_match": .object(["exact": .string("POST")])]),
            .object(["name": .string("x-user"), "string_match": .object(["prefix": .string("ja")])]),
            .object(["name": .string("x-debug"), "string_match": .object(["exact": .string("1")]), "invert_match": .bool(true)]),
        ])]), "POST /* [x-user^=ja] [!x-debug=1] on h"),
        (.object(["prefix": .string("/"), "headers": .array([
            .object(["name": .string(":method"), "string_match": .object(["safe_regex": .object(["regex": .string("GET|HEAD")])])]),
        ]), "query_parameters": .array([
            .object(["name": .string("v"), "string_match": .object(["exact": .string("2")])]),
            .object(["name": .string("debug")]),
        ])]), "* /* [:method~=GET|HEAD] ?v=2&debug on h"),
    ])
    func matchLabels(match: JSON, label: String) {
        let new = Self.config([("h", ["*"], [Self.route(match, Self.cluster("c"))])])
        #expect(Self.lines(from: nil, to: new) == ["+ \(label) → c"])
    }

    @Test(arguments: [
        (weighted([("outbound|80|v1|reviews.prod.svc.cluster.local", 1), ("outbound|9080||httpbin.org", 2)]),
         "reviews.prod:80/v1 33.3%, httpbin.org:9080 66.7%"),
        (("redirect", .object(["scheme_redirect": .string("https"), "port_redirect": .int(443)])), "redirect scheme https port 443"),
        (("direct_response", .object(["status": .int(503), "body": .object(["inline_string": .string("down")])])), #"respond 503 "down""#),
        (("route", .object(["cluster_header": .string("x-cluster")])), "the cluster named by header x-cluster"),
        (("route", .object([:])), "(no action)"),
    ])
    func actionDescriptions(action: (String, JSON), text: String) {
        let old = Self.config([("h", ["*"], [Self.route(Self.prefix, Self.cluster("inbound|80||x"))])])
        let new = Self.config([("h", ["*"], [Self.route(Self.prefix, action)])])
        #expect(Self.lines(from: old, to: new) == ["* /* on h: inbound|80||x → \(text)"])
    }

    @Test func reorderedRoutesAndDomainsAreReported() {
        let a = Self.route(.object(["prefix": .string("/a")]), Self.cluster("c"))
        let b = Self.route(.object(["prefix": .string("/b")]), Self.cluster("c"))
        let old = Self.config([("h", ["a.example"], [a, b]), ("gone", ["*"], [a])])
        let new = Self.config([("h", ["a.example", "b.example"], [b, a]), ("added", ["*"], [b])])
        #expect(Self.lines(from: old, to: new) == [
            "+ * /b* on added → c",
            "- * /a* on gone",
            "routes on h reordered (the first match wins)",
            "domains of h: a.example → a.example, b.example",
        ])
    }

    @Test func identicalMatchesInOneHostPairInOrder() {
        let first = Self.route(Self.prefix, Self.cluster("a")), second = Self.route(Self.prefix, Self.cluster("b"))
        let old = Self.config([("h", ["*"], [first, second])])
        let new = Self.config([("h", ["*"], [first, Self.route(Self.prefix, Self.cluster("c"))])])
        #expect(Self.lines(from: old, to: new) == ["* /* on h: b → c"])
    }

    @Test func manyChangedSettingsAreCappedOnOneLine() {
        let old = Self.config([("h", ["*"], [Self.route(Self.prefix, Self.cluster("c"))])])
        let new = Self.config([("h", ["*"], [Self.route(Self.prefix, Self.cluster("c"),
            extra: ["a": .int(1), "b": .string(String(repeating: "x", count: 80)), "c": .null])])])
        #expect(Self.lines(from: old, to: new) == [
            "* /* on h: a: (none) → 1; b: (none) → \"\(String(repeating: "x", count: 58))…; … 1 more changed fields",
        ])
    }

    @Test func aLargeNewConfigurationIsCountedAfterFiftyLines() {
        let routes = (0..<60).map { Self.route(.object(["path": .string("/p\($0)")]), Self.cluster("c")) }
        let lines = Self.lines(from: nil, to: Self.config([("h", ["*"], routes)]))
        #expect(lines.count == 51)
        #expect(lines.first == "+ * /p0 on h → c" && lines.last == "… 10 more route changes")
    }

    /// A sidecar's configuration: a virtual host per service. One service's
    /// change gives its lines only, and unchanged hosts are skipped, not diffed
    /// route by route (the 10k-service plan benchmark spent seconds there).
    @Test func oneChangedHostAmongThousands() {
        let hosts = { (timeout: String) in
            (0..<5_000).map { index in
                (name: "svc-\(index):80", domains: ["svc-\(index)"], routes: [
                    Self.route(.object(["prefix": .string("/api")]), Self.cluster("up-\(index)"),
                               extra: index == 7 ? ["timeout": .string(timeout)] : [:]),
                    Self.route(Self.prefix, Self.cluster("c-\(index)")),
                ])
            }
        }
        let old = Self.config(hosts("2s")), new = Self.config(hosts("3s"))
        #expect(Self.lines(from: old, to: new) == [#"* /api* on svc-7:80: timeout: "2s" → "3s""#])
        // Reordering is still seen in a host that changed.
        var swapped = hosts("2s")
        swapped[9].routes.reverse()
        #expect(Self.lines(from: old, to: Self.config(swapped)) == ["routes on svc-9:80 reordered (the first match wins)"])
    }
}
