import Foundation
import MeshExplain
import MeshIR
import Testing

/// `meshc route --from` / `--principal` on hand-built sidecars: a mesh
/// caller is explained on the inbound listener, where policies apply.
@Suite struct InboundExplainerTests {
    static let frontend = "spiffe://cluster.local/ns/default/sa/frontend"
    static let readers = AuthorizationRuleIR(
        name: "ns[default]-policy[readers]-rule[0]", permission: .header(":method", .exact("GET")),
        principal: .principal(.exact(frontend)), file: "authz.yaml", line: 12)
    static let noAdmin = AuthorizationRuleIR(name: "ns[default]-policy[no-admin]-rule[0]", permission: .path(.prefix("/admin/")),
                                             principal: .any, file: "authz.yaml", line: 30)
    static let authorization = Authorization(deny: [noAdmin], allow: [readers])

    /// A sidecar with an outbound listener (18091) and an inbound one (18088 for workload port 18083) with `chains`.
    static func sidecar(_ chains: [FilterChain]) -> ProxyConfig {
        let route = Route(name: "default", match: RouteMatch(), action: .cluster("inbound|18083||"),
                          source: Route.Source(file: "proxies.yaml", line: 22, virtualService: ""))
        return ProxyConfig(
            name: "backend-sidecar", role: .sidecar, adminPort: 19003,
            identity: WorkloadIdentity(namespace: "default", serviceAccount: "backend"),
            listeners: [
                Listener(name: "127.0.0.1_18088", address: "127.0.0.1", port: 18088, chains: chains),
                Listener(name: "127.0.0.1_18091", address: "127.0.0.1", port: 18091, routeConfigName: "outbound", stripsHostPort: false),
            ],
            routeConfigs: [
                RouteConfig(name: "inbound|18083||", virtualHosts: [VirtualHost(name: "inbound|http|18083", domains: ["*"], routes: [route])]),
                RouteConfig(name: "outbound", virtualHosts: []),
            ],
            clusters: [Cluster(name: "inbound|18083||", endpoints: [Endpoint(address: "127.0.0.1", port: 18083)], discovery: .static)])
    }

    static let strict = sidecar([FilterChain(meshTLS: true, action: .http(routeConfig: "inbound|18083||"), authorization: authorization)])
    static let permissive = sidecar([
        FilterChain(transportProtocol: "tls", meshTLS: true, action: .http(routeConfig: "inbound|18083||"), authorization: authorization),
        FilterChain(transportProtocol: "raw_buffer", action: .http(routeConfig: "inbound|18083||"), authorization: authorization),
    ])
    static let plain = sidecar([FilterChain(action: .http(routeConfig: "inbound|18083||"), authorization: authorization)])

    static func explain(_ proxy: ProxyConfig, _ method: String, _ url: String, principal: String?) throws -> Explanation {
        try RouteExplainer.explain(try ExplainRequest(method: method, url: url), on: proxy, caller: Caller(principal: principal, sourceIP: "10.0.0.9"))
    }

    @Test func aMeshCallerReachesTheInboundListenerForTheWorkloadPort() throws {
        let explanation = try Self.explain(Self.strict, "GET", "http://backend:18083/books", principal: Self.frontend)
        #expect(explanation.listener == "127.0.0.1_18088")
        #expect(explanation.authorization?.verdict == .allowed(by: RuleReference(Self.readers)))
        #expect(explanation.authorization?.peer == Self.frontend)
        let text = explanation.text()
        #expect(text.contains("caller \(Self.frontend), source 10.0.0.9\n"))
        #expect(text.contains("authorization: allowed by ns[default]-policy[readers]-rule[0] (authz.yaml:12)\n"))
        #expect(text.contains("route configuration inbound|18083||"))
        // The listen port names the same listener.
        #expect(try Self.explain(Self.strict, "GET", "http://backend:18088/", principal: Self.frontend).listener == "127.0.0.1_18088")
    }

    @Test func withoutIdentityTheSidecarExplainsAnOutboundCall() throws {
        let explanation = try Self.explain(Self.strict, "GET", "http://backend:18083/", principal: nil)
        #expect(explanation.listener == "127.0.0.1_18091")
        #expect(explanation.authorization == nil)
        #expect(!explanation.text().contains("caller"))
    }

    @Test func deniedRequestsSayWhichRuleAndWhere() throws {
        let admin = try Self.explain(Self.strict, "GET", "http://backend:18083/admin/x", principal: Self.frontend)
        #expect(admin.text().contains(
            "authorization: denied (403 RBAC: access denied) by DENY rule ns[default]-policy[no-admin]-rule[0] (authz.yaml:30)\n"))
        let post = try Self.explain(Self.strict, "POST", "http://backend:18083/books", principal: Self.frontend)
        #expect(post.text().contains("authorization: denied (403 RBAC: access denied): no ALLOW rule matches (ns[default]-policy[readers]-rule[0])\n"))
        let json = post.json()
        #expect(json.member("authorization")?.member("status") == .int(403))
        #expect(json.member("authorization")?.member("reason") == .string("no_allow_rule"))
        #expect(json.member("caller")?.member("principal") == .string(Self.frontend))
    }

    @Test func permissivePortsTakeTheMTLSChainAndPlainTextHasNoIdentity() throws {
        let permissive = try Self.explain(Self.permissive, "GET", "http://backend:18083/", principal: Self.frontend)
        #expect(permissive.authorization?.verdict == .allowed(by: RuleReference(Self.readers)))
        let plain = try Self.explain(Self.plain, "GET", "http://backend:18083/", principal: Self.frontend)
        #expect(plain.authorization?.peer == nil)
        #expect(plain.authorization?.verdict == .noAllowRuleMatches(considered: [RuleReference(Self.readers)]))
        #expect(plain.text().contains("  note: plain text: no peer identity"))
    }

    @Test func unknownInboundPortsAreClearErrors() {
        #expect(throws: ExplainError.self) { try Self.explain(Self.strict, "GET", "http://backend/", principal: Self.frontend) }
        #expect(throws: ExplainError.self) { try Caller(sourceIP: "not-an-address").validate() }
    }

    @Test func anUnroutedRequestGets404BeforeTheRules() throws {
        var proxy = Self.strict
        proxy.routeConfigs[0].virtualHosts[0].routes[0].match = RouteMatch(path: .prefix("/books"))
        let explanation = try Self.explain(proxy, "GET", "http://backend:18083/other", principal: Self.frontend)
        #expect(explanation.authorization?.verdict == .noRoute)
        #expect(explanation.authorization?.refuses == false)
    }
}
