import MeshExplain
import MeshIR
import Testing

/// Envoy's matching rules as `meshc route` applies them, on hand-built IR.
@Suite struct RouteExplainerTests {
    static let source = Route.Source(file: "vs.yaml", line: 7, virtualService: "default/vs")

    static func route(_ name: String, _ match: RouteMatch, to cluster: String) -> Route {
        Route(name: name, match: match, action: .cluster(cluster), source: source)
    }

    static let proxy = ProxyConfig(
        name: "gw", role: .gateway, adminPort: 15000,
        listeners: [
            Listener(name: "0.0.0.0_80", address: "0.0.0.0", port: 80, routeConfigName: "http.80"),
            Listener(name: "0.0.0.0_443", address: "0.0.0.0", port: 443, chains: [
                FilterChain(serverNames: ["a.example.com"], action: .http(routeConfig: "http.80")),
                FilterChain(serverNames: ["*.example.com"], action: .tcp([WeightedCluster(cluster: "outbound|443||wild.default.svc.cluster.local", weight: 1)])),
            ]),
        ],
        routeConfigs: [RouteConfig(name: "http.80", virtualHosts: [
            VirtualHost(name: "any", domains: ["*"], routes: [route("any", RouteMatch(), to: "outbound|80||any.default.svc.cluster.local")]),
            VirtualHost(name: "suffix", domains: ["*.example.com"], routes: [route("suffix", RouteMatch(), to: "outbound|80||suffix.default.svc.cluster.local")]),
            VirtualHost(name: "exact", domains: ["a.example.com"], routes: [
                route("jason", RouteMatch(path: .prefix("/r"), headers: [HeaderMatch(name: "end-user", matcher: .exact("jason"))]),
                      to: "outbound|80|v2|ratings.default.svc.cluster.local"),
                route("not-get", RouteMatch(path: .prefix("/r"), headers: [HeaderMatch(name: ":method", matcher: .exact("GET"), inverted: true)]),
                      to: "outbound|80|v3|ratings.default.svc.cluster.local"),
                route("query", RouteMatch(path: .regex("/r/[0-9]+"), queryParameters: [(name: "debug", matcher: .exact("1"))]),
                      to: "outbound|80|v4|ratings.default.svc.cluster.local"),
                route("exact-ci", RouteMatch(path: .exact("/Login"), caseSensitive: false), to: "outbound|80||login.default.svc.cluster.local"),
                Route(name: "split", match: RouteMatch(path: .prefix("/r")), action: .weighted([
                    WeightedCluster(cluster: "outbound|80|v1|ratings.default.svc.cluster.local", weight: 3),
                    WeightedCluster(cluster: "outbound|80|v2|ratings.default.svc.cluster.local", weight: 1),
                ]), source: source),
            ]),
        ])],
        clusters: [Cluster(name: "outbound|80|v2|ratings.default.svc.cluster.local", endpoints: [Endpoint(address: "10.0.0.2", port: 9080)],
                           discovery: .static)])

    static func clusters(_ method: String, _ url: String, _ headers: [(name: String, value: String)] = []) throws -> [String] {
        let explanation = try RouteExplainer.explain(try ExplainRequest(method: method, url: url, headers: headers), on: proxy)
        switch explanation.outcome {
        case .route(_, _, _, let targets), .tcp(let targets): return targets.map(\.cluster)
        case .noRoute: return ["404 no route"]
        case .noVirtualHost: return ["404 no virtual host"]
        case .tlsRedirect(_, _, let location): return ["301 \(location)"]
        }
    }

    @Test func virtualHostsGoExactThenLongestSuffixThenAny() throws {
        #expect(try Self.clusters("GET", "http://b.example.com/") == ["outbound|80||suffix.default.svc.cluster.local"])
        #expect(try Self.clusters("GET", "http://other.org/") == ["outbound|80||any.default.svc.cluster.local"])
        // Gateways strip the port before matching domains.
        #expect(try Self.clusters("GET", "http://A.example.com:80/login") == ["outbound|80||login.default.svc.cluster.local"])
    }

    @Test func firstMatchingRouteWinsWithHeadersMethodAndQuery() throws {
        let host = "http://a.example.com"
        #expect(try Self.clusters("GET", "\(host)/r/1", [("End-User", "jason")]) == ["outbound|80|v2|ratings.default.svc.cluster.local"])
        #expect(try Self.clusters("POST", "\(host)/r/1") == ["outbound|80|v3|ratings.default.svc.cluster.local"])
        #expect(try Self.clusters("GET", "\(host)/r/12?debug=1") == ["outbound|80|v4|ratings.default.svc.cluster.local"])
        #expect(try Self.clusters("GET", "\(host)/r/12x?debug=1").count == 2, "the regex must match the whole path")
        #expect(try Self.clusters("GET", "\(host)/nothing") == ["404 no route"])
    }

    @Test func weightedSplitGivesSharesAndEndpoints() throws {
        let explanation = try RouteExplainer.explain(try ExplainRequest(method: "GET", url: "http://a.example.com/r"), on: Self.proxy)
        guard case .route(_, _, let route, let targets) = explanation.outcome else {
            Issue.record("expected a route: \(explanation.text())")
            return
        }
        #expect(route.name == "split")
        #expect(targets.map(\.percent) == [75, 25])
        #expect(targets.map(\.subset) == ["v1", "v2"])
        #expect(targets[1].endpoints == [Endpoint(address: "10.0.0.2", port: 9080)])
        #expect(explanation.text().contains("VirtualService default/vs at vs.yaml:7"))
    }

    @Test func httpsPicksTheChainBySNI() throws {
        #expect(try Self.clusters("GET", "https://a.example.com/r", [("end-user", "jason")]) == ["outbound|80|v2|ratings.default.svc.cluster.local"])
        #expect(try Self.clusters("GET", "https://db.example.com/") == ["outbound|443||wild.default.svc.cluster.local"])
        #expect(throws: ExplainError.self) { try Self.clusters("GET", "https://other.org/") }
    }

    @Test func badRequestsAreClearErrors() {
        #expect(throws: ExplainError.self) { try ExplainRequest(method: "GET", url: "example.com/path") }
        #expect(throws: ExplainError.self) { try ExplainRequest(method: "GET", url: "ftp://example.com/") }
        #expect(throws: ExplainError.self) { try ExplainRequest(method: "GET", url: "http://example.com:99999/") }
        #expect(throws: ExplainError.self) { try Self.clusters("GET", "http://example.com:8080/") }
    }
}
