import Foundation
import MeshDiagnostics
import MeshExplain
import MeshIR
import Testing

/// Unsigned test tokens: `meshc route` reads the payload and never the signature.
enum JWTTokens {
    static func provider(_ issuer: String?, audiences: [String] = [], fromHeaders: [(name: String, prefix: String)] = [],
                         fromParams: [String] = [], fromCookies: [String] = []) -> JWTProvider {
        JWTProvider(name: "origins-0", issuer: issuer, audiences: audiences, keys: .inline("{\"keys\": []}"), fromHeaders: fromHeaders,
                    fromParams: fromParams, fromCookies: fromCookies)
    }

    /// `header.payload.signature` with `claims` as the payload, base64url without padding.
    static func make(_ claims: JSONObject) -> String {
        [JSON.object(["alg": .string("ES256"), "typ": .string("JWT")]), JSON.object(claims)]
            .map { base64URL(Data($0.rendered().utf8)) }.joined(separator: ".") + ".c2lnbmF0dXJl"
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func bearer(_ claims: JSONObject) -> [(name: String, value: String)] { [("Authorization", "Bearer " + make(claims))] }
}

extension AuthorizationCheckTests {
    static let issuer = "https://issuer.example.com"
    static let groups = AccessMatch.metadata(filter: JWTProvider.metadataFilter, path: ["payload", "groups"], .exact("admin"), list: true)

    static func withToken(_ rule: AuthorizationRuleIR, provider: JWTProvider = JWTTokens.provider(issuer)) -> Authorization {
        Authorization(jwtProviders: [provider], allow: [rule])
    }

    @Test func claimsMatchAsListsAndStrings() throws {
        let admins = Self.withToken(Self.rule(0, principal: Self.groups))
        let member = JWTTokens.bearer(["iss": .string(Self.issuer), "groups": .array([.string("dev"), .string("admin")])])
        #expect(try Self.decide(admins, headers: member).verdict == .allowed(by: RuleReference(Self.rule(0))))
        let single = JWTTokens.bearer(["iss": .string(Self.issuer), "groups": .string("admin")])
        #expect(try !Self.decide(admins, headers: single).refuses, "a string claim matches directly")
        let other = JWTTokens.bearer(["iss": .string(Self.issuer), "groups": .array([.string("dev")])])
        #expect(try Self.decide(admins, headers: other).refuses)
        #expect(try Self.decide(admins).verdict == .noAllowRuleMatches(considered: [RuleReference(Self.rule(0))]),
                "no token: the request passes jwt_authn without claims, then no rule matches")

        let notList = AccessMatch.metadata(filter: JWTProvider.metadataFilter, path: ["payload", "groups"], .exact("admin"), list: false)
        #expect(try Self.decide(Self.withToken(Self.rule(0, principal: notList)), headers: member).refuses, "list: false does not look into lists")
    }

    @Test func requestPrincipalsAndNestedClaims() throws {
        func claim(_ path: [String], _ match: TextMatch) -> AccessMatch {
            .metadata(filter: JWTProvider.metadataFilter, path: ["payload"] + path, match, list: false)
        }
        let principal = AccessMatch.and([claim(["iss"], .exact(Self.issuer)), claim(["sub"], .exact("alice"))])
        let nested = claim(["realm", "role"], .prefix("ops-"))
        let authorization = Self.withToken(Self.rule(0, principal: .or([principal, nested])))
        let alice = JWTTokens.bearer(["iss": .string(Self.issuer), "sub": .string("alice")])
        let decision = try Self.decide(authorization, headers: alice)
        #expect(!decision.refuses)
        #expect(decision.token?.subject == "alice")
        #expect(decision.token?.location == "header authorization")
        #expect(decision.notes.contains { $0.contains("does not verify the token's signature") })
        let ops = JWTTokens.bearer(["iss": .string(Self.issuer), "sub": .string("bob"), "realm": .object(["role": .string("ops-1")])])
        #expect(try !Self.decide(authorization, headers: ops).refuses)
        let number = JWTTokens.bearer(["iss": .string(Self.issuer), "sub": .int(7)])
        #expect(try Self.decide(authorization, headers: number).refuses, "a number claim is no string")
    }

    @Test func untrustedIssuerIs401() throws {
        let authorization = Self.withToken(Self.rule(0))
        let decision = try Self.decide(authorization, headers: JWTTokens.bearer(["iss": .string("https://evil.example.com")]))
        guard case .invalidToken(let message, let reason) = decision.verdict else {
            Issue.record("expected 401, got \(decision.verdict)")
            return
        }
        #expect(decision.status == 401)
        #expect(message == "Jwt issuer is not configured")
        #expect(reason.contains("https://evil.example.com") && reason.contains(Self.issuer))
        let anyIssuer = Self.withToken(Self.rule(0), provider: JWTTokens.provider(nil))
        #expect(try !Self.decide(anyIssuer, headers: JWTTokens.bearer(["iss": .string("https://evil.example.com")])).refuses,
                "a provider without issuer takes any")
    }

    @Test func expiredAndFutureTokensAre401() throws {
        let authorization = Self.withToken(Self.rule(0))
        let now = Self.now.timeIntervalSince1970
        func status(_ claims: JSONObject) throws -> Int? {
            try Self.decide(authorization, headers: JWTTokens.bearer(claims.merging(["iss": .string(Self.issuer)]) { a, _ in a })).status
        }
        #expect(try status(["exp": .int(Int(now) - 3600)]) == 401)
        #expect(try status(["exp": .int(Int(now) - 30)]) == nil, "Envoy allows 60 seconds of clock skew")
        #expect(try status(["exp": .int(Int(now) + 3600)]) == nil)
        #expect(try status(["nbf": .int(Int(now) + 3600)]) == 401)
        let expired = try Self.decide(authorization, headers: JWTTokens.bearer(["iss": .string(Self.issuer), "exp": .int(1_700_000_000)]))
        #expect(expired.verdict == .invalidToken(message: "Jwt is expired", reason: "the token expired at 2023-11-14T22:13:20Z"))
    }

    @Test func audiencesAndMalformedTokens() throws {
        let authorization = Self.withToken(Self.rule(0), provider: JWTTokens.provider(Self.issuer, audiences: ["api"]))
        func status(_ headers: [(name: String, value: String)]) throws -> Int? { try Self.decide(authorization, headers: headers).status }
        #expect(try status(JWTTokens.bearer(["iss": .string(Self.issuer), "aud": .string("api")])) == nil)
        #expect(try status(JWTTokens.bearer(["iss": .string(Self.issuer), "aud": .array([.string("web"), .string("api")])])) == nil)
        #expect(try status(JWTTokens.bearer(["iss": .string(Self.issuer), "aud": .string("web")])) == 401)
        #expect(try status([("authorization", "Bearer not-a-token")]) == 401)
        #expect(try status([("authorization", "Bearer a.!!!.c")]) == 401)
        #expect(try status([("authorization", "Basic dXNlcjpwYXNz")]) == nil, "no Bearer prefix: no token")
    }

    @Test func tokensAreReadWhereTheProviderSays() throws {
        let token = JWTTokens.make(["iss": .string(Self.issuer), "groups": .string("admin")])
        let rule = Self.rule(0, principal: Self.groups)
        let custom = JWTTokens.provider(Self.issuer, fromHeaders: [("x-jwt", "")], fromParams: ["token"], fromCookies: ["session"])
        let authorization = Self.withToken(rule, provider: custom)
        #expect(try !Self.decide(authorization, headers: [("X-JWT", token)]).refuses)
        #expect(try !Self.decide(authorization, "GET", "http://api.shop/?token=\(token)").refuses)
        #expect(try !Self.decide(authorization, headers: [("cookie", "theme=dark; session=\(token)")]).refuses)
        #expect(try Self.decide(authorization, headers: [("authorization", "Bearer \(token)")]).refuses,
                "explicit locations replace the default Authorization header")
        let defaults = Self.withToken(rule)
        #expect(try !Self.decide(defaults, "GET", "http://api.shop/?access_token=\(token)").refuses)
    }
}
