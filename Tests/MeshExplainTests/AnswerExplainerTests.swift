import MeshExplain
import MeshIR
import Testing

/// Requests Envoy answers itself (issue 13): route redirects with the Location
/// Envoy builds, direct responses, and a virtual host that requires TLS.
@Suite struct AnswerExplainerTests {
    static let source = Route.Source(file: "vs.yaml", line: 3, virtualService: "default/vs")

    static let proxy = ProxyConfig(
        name: "gw", role: .gateway, adminPort: 15000,
        listeners: [Listener(name: "0.0.0.0_80", address: "0.0.0.0", port: 80, routeConfigName: "http.80")],
        routeConfigs: [RouteConfig(name: "http.80", virtualHosts: [
            VirtualHost(name: "secure.example.com:80", domains: ["secure.example.com"], routes: [], requireTLS: true),
            VirtualHost(name: "*:80", domains: ["*"], routes: [
                Route(name: "moved", match: RouteMatch(path: .prefix("/old")), action: .redirect(Redirect(path: "/new", host: "new.example.com")),
                      source: source),
                Route(name: "secure", match: RouteMatch(path: .prefix("/login")), action: .redirect(Redirect(scheme: "https", status: 308)),
                      source: source),
                Route(name: "teapot", match: RouteMatch(path: .prefix("/tea")), action: .directResponse(status: 418, body: "short and stout"),
                      source: source),
            ]),
        ])],
        clusters: [])

    static func explain(_ url: String) throws -> Explanation {
        try RouteExplainer.explain(try ExplainRequest(method: "GET", url: url), on: proxy)
    }

    @Test func redirectsSayWhereEnvoySendsTheClient() throws {
        let moved = try Self.explain("http://shop.example.com:80/old?id=7")
        #expect(moved.answer?.status == 301)
        #expect(moved.answer?.location == "http://new.example.com/new?id=7")
        #expect(moved.text().contains("Envoy answers 301, location http://new.example.com/new?id=7; nothing is forwarded"))
        // A new scheme drops the request's port.
        let secure = try Self.explain("http://shop.example.com:80/login")
        #expect(secure.answer?.status == 308)
        #expect(secure.answer?.location == "https://shop.example.com/login")
    }

    @Test func directResponsesSayTheStatusAndBody() throws {
        let tea = try Self.explain("http://shop.example.com/tea")
        #expect(tea.answer?.status == 418)
        #expect(tea.answer?.body == "short and stout")
        #expect(tea.text().contains("Envoy answers 418 itself, body \"short and stout\"; nothing is forwarded"))
        #expect(tea.json().rendered().contains("\"kind\":\"direct_response\""))
    }

    @Test func aVirtualHostRequiringTLSRedirectsBeforeAnyRoute() throws {
        let plain = try Self.explain("http://secure.example.com/a?b=1")
        guard case .tlsRedirect(_, _, let location) = plain.outcome else {
            Issue.record("expected a TLS redirect, got \(plain.outcome)")
            return
        }
        #expect(location == "https://secure.example.com/a?b=1")
        #expect(plain.text().contains("Envoy answers 301, location https://secure.example.com/a?b=1"))
    }
}
