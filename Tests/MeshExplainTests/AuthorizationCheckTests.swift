import Foundation
import MeshDiagnostics
import MeshExplain
import MeshIR
import Testing

/// Istio's authorization as Envoy enforces it, decided on hand-built IR:
/// each case writes its rule, request and caller, and expects the verdict.
@Suite struct AuthorizationCheckTests {
    static let web = "spiffe://cluster.local/ns/shop/sa/web"

    static func rule(_ index: Int, policy: String = "callers", permission: AccessMatch = .any, principal: AccessMatch = .any) -> AuthorizationRuleIR {
        AuthorizationRuleIR(name: "ns[shop]-policy[\(policy)]-rule[\(index)]", permission: permission, principal: principal,
                            file: "mesh.yaml", line: 10 + index)
    }

    /// The decision on `method url` from `peer` at `sourceIP`; the clock is fixed at 2026-01-01.
    static func decide(_ authorization: Authorization, _ method: String = "GET", _ url: String = "http://api.shop:8080/",
                       headers: [(name: String, value: String)] = [], peer: String? = nil, sourceIP: String = "127.0.0.1",
                       destinationIP: String = "10.0.0.5") throws -> AuthorizationDecision {
        try AuthorizationCheck.decide(authorization, request: ExplainRequest(method: method, url: url, headers: headers),
                                      connection: ConnectionFacts(peer: peer, sourceIP: sourceIP, destinationIP: destinationIP), now: now)
    }

    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    /// True when an ALLOW policy with one rule (`permission`, `principal`) lets the request through.
    static func allows(permission: AccessMatch = .any, principal: AccessMatch = .any, _ method: String = "GET",
                       _ url: String = "http://api.shop:8080/", headers: [(name: String, value: String)] = [], peer: String? = nil,
                       sourceIP: String = "127.0.0.1") throws -> Bool {
        let decision = try decide(Authorization(allow: [rule(0, permission: permission, principal: principal)]), method, url,
                                  headers: headers, peer: peer, sourceIP: sourceIP)
        return !decision.refuses
    }

    @Test func principalsMatchThePeerIdentityOnlyWithMTLS() throws {
        let exact = AccessMatch.principal(.exact(Self.web))
        #expect(try Self.allows(principal: exact, peer: Self.web))
        #expect(try !Self.allows(principal: exact, peer: "spiffe://cluster.local/ns/shop/sa/admin"))
        #expect(try !Self.allows(principal: exact, peer: nil), "plain text has no peer identity")
        #expect(try !Self.allows(principal: .principal(.present), peer: nil))
        #expect(try Self.allows(principal: .not(.principal(.exact(Self.web))), peer: nil), "notPrincipals holds without an identity")
    }

    @Test func namespacesMatchByRegex() throws {
        let shop = AccessMatch.principal(.regex(".*/ns/shop/.*"))
        #expect(try Self.allows(principal: shop, peer: Self.web))
        #expect(try !Self.allows(principal: shop, peer: "spiffe://cluster.local/ns/shopping/sa/web"))
        #expect(try !Self.allows(principal: .principal(.regex("/ns/shop/")), peer: Self.web), "RE2 must match the whole identity")
    }

    @Test(arguments: [
        ("10.1.0.0", 16, "10.1.200.3", true), ("10.1.0.0", 16, "10.2.0.1", false), ("10.1.2.3", 32, "10.1.2.3", true),
        ("10.1.2.3", 32, "10.1.2.4", false), ("0.0.0.0", 0, "192.168.1.1", true), ("192.168.1.128", 25, "192.168.1.200", true),
        ("192.168.1.128", 25, "192.168.1.127", false),
        ("fd00::", 8, "fd12:3456::1", true), ("fd00::", 8, "fe80::1", false), ("2001:db8::", 32, "2001:db8:ffff::1", true),
        ("2001:db8::", 33, "2001:db8:8000::1", false), ("::1", 128, "::1", true), ("::", 0, "2001:db8::1", true),
        ("10.0.0.0", 8, "fd00::1", false), ("fd00::", 8, "10.0.0.1", false),
    ])
    func ipBlocksMatchV4AndV6(network: String, length: Int, source: String, expected: Bool) throws {
        let block = CIDRBlock(address: network, prefixLength: length)
        #expect(try Self.allows(principal: .directRemoteIP(block), sourceIP: source) == expected)
        #expect(try Self.allows(principal: .remoteIP(block), sourceIP: source) == expected)
    }

    @Test func destinationIPIsTheListenerAddress() throws {
        let rule = Self.rule(0, permission: .destinationIP(CIDRBlock(address: "10.0.0.0", prefixLength: 24)))
        #expect(try !Self.decide(Authorization(allow: [rule]), destinationIP: "10.0.0.5").refuses)
        #expect(try Self.decide(Authorization(allow: [rule]), destinationIP: "10.0.1.5").refuses)
    }

    @Test func headersMethodsAndHosts() throws {
        let token = AccessMatch.header("x-token", .prefix("abc"))
        #expect(try Self.allows(permission: token, headers: [("X-Token", "abcdef")]))
        #expect(try !Self.allows(permission: token, headers: [("x-token", "xyz")]))
        #expect(try !Self.allows(permission: token), "an absent header matches nothing")
        let methods = AccessMatch.or([.header(":method", .exact("GET")), .header(":method", .exact("HEAD"))])
        #expect(try Self.allows(permission: methods, "get"))
        #expect(try !Self.allows(permission: methods, "POST"))
        #expect(try Self.allows(permission: .not(methods), "DELETE"), "notMethods")
        let host = AccessMatch.header(":authority", .regex("(?i)api\\.shop(:[0-9]+)?"))
        #expect(try Self.allows(permission: host, "GET", "http://API.shop:8080/"))
        #expect(try !Self.allows(permission: host, "GET", "http://web.shop/"))
    }

    @Test func pathsMatchWithoutTheQuery() throws {
        let url = "http://api.shop/books/12/reviews?page=2"
        #expect(try Self.allows(permission: .path(.exact("/books/12/reviews")), "GET", url))
        #expect(try Self.allows(permission: .path(.prefix("/books/")), "GET", url))
        #expect(try Self.allows(permission: .path(.suffix("/reviews")), "GET", url))
        #expect(try !Self.allows(permission: .path(.suffix("page=2")), "GET", url))
        #expect(try Self.allows(permission: .header(":path", .suffix("?page=2")), "GET", url), "the :path header keeps the query")
    }

    @Test(arguments: [
        ("/books/*/reviews", "/books/12/reviews", true), ("/books/*/reviews", "/books/12/13/reviews", false),
        ("/books/*/reviews", "/books//reviews", false), ("/books/**", "/books/12/reviews/3", true), ("/books/**", "/books/", true),
        ("/books/**", "/shelves/1", false), ("/books/{id}/reviews", "/books/7/reviews", true), ("/books/{rest=**}", "/books/a/b", true),
        ("/*.m4s", "/segment.m4s", true), ("/*.m4s", "/segment.mp4", false), ("/v1.0/*", "/v1x0/a", false),
    ])
    func pathTemplates(template: String, path: String, expected: Bool) throws {
        #expect(try Self.allows(permission: .pathTemplate(template), "GET", "http://api.shop\(path)?q=1") == expected)
    }

    @Test func denyRulesComeBeforeAllowRules() throws {
        let authorization = Authorization(
            deny: [Self.rule(0, policy: "no-admin", permission: .path(.prefix("/admin")))],
            allow: [Self.rule(0, principal: .principal(.exact(Self.web))), Self.rule(1, permission: .path(.prefix("/admin")))],
            audit: [Self.rule(0, policy: "watch", permission: .header(":method", .exact("DELETE")))])
        let denied = try Self.decide(authorization, "DELETE", "http://api.shop/admin/users", peer: Self.web)
        #expect(denied.verdict == .denied(by: RuleReference(Self.rule(0, policy: "no-admin"))))
        #expect(denied.status == 403)
        #expect(denied.audited.map(\.name) == ["ns[shop]-policy[watch]-rule[0]"], "AUDIT rules log even what is denied")
        let allowed = try Self.decide(authorization, "GET", "http://api.shop/books", peer: Self.web)
        #expect(allowed.verdict == .allowed(by: RuleReference(Self.rule(0))))
        #expect(allowed.audited.isEmpty)
        let nobody = try Self.decide(authorization, "GET", "http://api.shop/books")
        #expect(nobody.verdict == .noAllowRuleMatches(considered: [RuleReference(Self.rule(0)), RuleReference(Self.rule(1))]))
    }

    @Test func emptyAllowListAllowsNothingAndNoAllowPolicyAllowsAll() throws {
        let nothing = try Self.decide(Authorization(allow: []), peer: Self.web)
        #expect(nothing.verdict == .noAllowRuleMatches(considered: []))
        #expect(nothing.refuses)
        let open = try Self.decide(Authorization(deny: [Self.rule(0, permission: .path(.exact("/admin")))]))
        #expect(open.verdict == .allowedWithoutPolicy)
        #expect(!open.refuses)
    }

    @Test func tcpConnectionsSeeNoHTTPAttributes() {
        let authorization = Authorization(allow: [Self.rule(0, permission: .header(":method", .present)), Self.rule(1, principal: .principal(.exact(Self.web)))])
        let connection = ConnectionFacts(peer: Self.web)
        let decision = AuthorizationCheck.decide(authorization, request: nil, connection: connection, now: Self.now)
        #expect(decision.verdict == .allowed(by: RuleReference(Self.rule(1))))
        #expect(decision.tcp)
    }

    @Test func unroutedRequestsAreNotCheckedButTheirTokensAre() throws {
        let authorization = Authorization(jwtProviders: [JWTTokens.provider("issuer-1")], allow: [])
        let request = try ExplainRequest(method: "GET", url: "http://api.shop/")
        #expect(AuthorizationCheck.decide(authorization, request: request, connection: ConnectionFacts(), routed: false, now: Self.now).verdict == .noRoute)
        let bad = try ExplainRequest(method: "GET", url: "http://api.shop/", headers: [("authorization", "Bearer " + JWTTokens.make(["iss": .string("evil")]))])
        #expect(AuthorizationCheck.decide(authorization, request: bad, connection: ConnectionFacts(), routed: false, now: Self.now).status == 401)
    }
}
