import Crypto
import Foundation
import Testing
@testable import MeshReconcile

/// `POST /hooks/git`'s check: GitHub signature, GitLab token or bearer, all with the webhook secret.
struct WebhookAuthTests {
    typealias Headers = WebhookAuth.Headers
    static let secret = "webhook-secret-1f3a"
    static let agentToken = "agent-token-9c2b"
    let auth = WebhookAuth(secret: Self.secret)
    let body = Array(#"{"ref":"refs/heads/main","after":"0123abcd"}"#.utf8)

    /// `sha256=<hex>` as GitHub computes it.
    static func signature(_ body: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + code.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test func aValidGitHubSignatureIsAcceptedOnceTheBodyIsRead() {
        let headers = Headers(hubSignature256: Self.signature(body, secret: Self.secret))
        #expect(auth.judge(headers) == .readBody)
        #expect(auth.judge(headers, body: body) == .accepted)
        #expect(auth.judge(Headers(hubSignature256: Self.signature(body, secret: Self.secret).uppercased().replacingOccurrences(of: "SHA256=", with: "sha256=")),
                           body: body) == .accepted, "hex digits in either case")
    }

    /// GitHub's documented example (docs.github.com, "Validating webhook deliveries").
    @Test func gitHubsPublishedTestVector() {
        let secret = "It's a Secret to Everybody", payload = Array("Hello, World!".utf8)
        let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(Self.signature(payload, secret: secret) == expected)
        #expect(WebhookAuth(secret: secret).judge(Headers(hubSignature256: expected), body: payload) == .accepted)
    }

    @Test(arguments: [
        ("another secret", "does not match"),
        ("", "does not match"),
    ])
    func aSignatureWithAnotherSecretIsRejected(secret: String, reason: String) throws {
        let verdict = auth.judge(Headers(hubSignature256: Self.signature(body, secret: secret)), body: body)
        let text = try #require(Self.reason(verdict))
        #expect(text.contains("X-Hub-Signature-256") && text.contains(reason))
        #expect(!text.contains(Self.secret))
    }

    @Test func aSignatureOfAnotherBodyIsRejected() {
        let headers = Headers(hubSignature256: Self.signature(body, secret: Self.secret))
        #expect(Self.reason(auth.judge(headers, body: body + [0x0a])) != nil)
        #expect(Self.reason(auth.judge(headers, body: [])) != nil)
    }

    @Test(arguments: [
        "sha256=" + String(repeating: "ab", count: 31),
        "sha256=" + String(repeating: "ab", count: 33),
        "sha256=" + String(repeating: "zz", count: 32),
        "sha1=" + String(repeating: "ab", count: 20),
        String(repeating: "ab", count: 32),
        "",
    ])
    func malformedSignaturesAreRejectedNamingTheForm(header: String) throws {
        let text = try #require(Self.reason(auth.judge(Headers(hubSignature256: header), body: body)))
        #expect(text.contains("sha256= followed by 64 hex digits"), "\(text)")
    }

    @Test func noHeaderIsRejectedNamingEveryAcceptedHeader() throws {
        for verdict in [auth.judge(Headers()), auth.judge(Headers(), body: body)] {
            let text = try #require(Self.reason(verdict))
            #expect(text.contains("X-Hub-Signature-256") && text.contains("X-Gitlab-Token") && text.contains("Authorization: Bearer"))
            #expect(text.contains("--webhook-secret-file"))
        }
    }

    @Test func theGitLabTokenIsAcceptedWithoutTheBody() throws {
        #expect(auth.judge(Headers(gitlabToken: Self.secret)) == .accepted)
        let text = try #require(Self.reason(auth.judge(Headers(gitlabToken: Self.secret + "x"))))
        #expect(text.contains("X-Gitlab-Token"))
        #expect(Self.reason(auth.judge(Headers(gitlabToken: ""))) != nil)
    }

    @Test(arguments: ["Bearer ", "bearer ", "BEARER "])
    func theBearerIsAcceptedWithoutTheBody(scheme: String) {
        #expect(auth.judge(Headers(authorization: scheme + Self.secret)) == .accepted)
    }

    @Test(arguments: ["Bearer wrong", "Basic d2ViaG9vazpzZWNyZXQ=", "Bearer", Self.secret])
    func otherAuthorizationsAreRejected(header: String) throws {
        let text = try #require(Self.reason(auth.judge(Headers(authorization: header))))
        #expect(text.contains("Authorization: Bearer"))
        #expect(!text.contains(Self.secret))
    }

    @Test func theAgentsTokenIsRejectedEverywhere() {
        #expect(Self.reason(auth.judge(Headers(authorization: "Bearer " + Self.agentToken))) != nil)
        #expect(Self.reason(auth.judge(Headers(gitlabToken: Self.agentToken))) != nil)
        #expect(Self.reason(auth.judge(Headers(hubSignature256: Self.signature(body, secret: Self.agentToken)), body: body)) != nil)
    }

    @Test func oneGoodHeaderIsEnoughBesideWrongOnes() {
        let wrong = Self.signature(body, secret: "wrong")
        #expect(auth.judge(Headers(authorization: "Bearer " + Self.secret, hubSignature256: wrong)) == .accepted)
        #expect(auth.judge(Headers(authorization: "Bearer wrong", hubSignature256: Self.signature(body, secret: Self.secret)), body: body) == .accepted)
        #expect(Self.reason(auth.judge(Headers(authorization: "Bearer wrong", hubSignature256: wrong), body: body)) != nil)
    }

    static func reason(_ verdict: WebhookAuth.Verdict) -> String? {
        if case .rejected(let reason) = verdict { return reason }
        return nil
    }
}
