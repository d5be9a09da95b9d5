import Crypto
import Foundation
import MeshAgent

/// Who may start a round through `POST /hooks/git`: whoever holds the webhook
/// secret (`--webhook-secret-file`), never the agents' token. A pure value:
/// the server hands it the request's headers (and, for a GitHub signature,
/// the body) and acts on the verdict. Any one of these is accepted:
///
/// - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`;
/// - GitLab: `X-Gitlab-Token: <secret>`;
/// - `Authorization: Bearer <secret>`.
///
/// Every comparison is constant-time; no reason quotes what was sent or the secret.
package struct WebhookAuth: Sendable {
    /// The largest body read to check a GitHub signature (256 KiB); a larger one is answered 413.
    package static let maxSignedBody = 256 * 1024

    /// The request headers that can authenticate a webhook (nil: absent).
    package struct Headers: Sendable, Equatable {
        /// `Authorization`.
        package var authorization: String?
        /// `X-Gitlab-Token`.
        package var gitlabToken: String?
        /// `X-Hub-Signature-256`.
        package var hubSignature256: String?

        package init(authorization: String? = nil, gitlabToken: String? = nil, hubSignature256: String? = nil) {
            self.authorization = authorization
            self.gitlabToken = gitlabToken
            self.hubSignature256 = hubSignature256
        }
    }

    /// What the server does with a request.
    package enum Verdict: Sendable, Equatable {
        /// Authenticated.
        case accepted
        /// A GitHub signature to check: read the body (at most `maxSignedBody` bytes), then `judge(_:body:)`.
        case readBody
        /// 401 for this reason (the header expected; never the secret).
        case rejected(String)
    }

    /// The reason given when no header authenticates at all.
    package static let expected = "send X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body> (GitHub), "
        + "X-Gitlab-Token: <secret> (GitLab) or Authorization: Bearer <secret>, "
        + "the secret being the content of --webhook-secret-file"

    private let key: SymmetricKey
    /// SHA-256 of the secret: tokens are compared as digests, so the time taken says nothing of their length either.
    private let digest: [UInt8]

    /// Checks against `secret` (the trimmed content of `--webhook-secret-file`).
    package init(secret: String) {
        key = SymmetricKey(data: Array(secret.utf8))
        digest = Array(SHA256.hash(data: Array(secret.utf8)))
    }

    /// The judgement on the headers alone, before any body is read: a
    /// GitLab token or bearer that matches is accepted; a GitHub signature
    /// asks for the body.
    package func judge(_ headers: Headers) -> Verdict {
        if let token = headers.gitlabToken, matches(token) { return .accepted }
        if let token = headers.authorization.flatMap(Self.bearer), matches(token) { return .accepted }
        if headers.hubSignature256 != nil { return .readBody }
        if headers.gitlabToken != nil {
            return .rejected("X-Gitlab-Token does not match: it must be the content of --webhook-secret-file")
        }
        if headers.authorization != nil {
            return .rejected("Authorization does not match: send Authorization: Bearer <the content of --webhook-secret-file> (the agents' token is not accepted here)")
        }
        return .rejected(Self.expected)
    }

    /// The judgement on a request whose headers asked for its `body`.
    package func judge(_ headers: Headers, body: [UInt8]) -> Verdict {
        let verdict = judge(headers)
        guard verdict == .readBody, let header = headers.hubSignature256 else { return verdict }
        guard let code = Self.signatureBytes(header) else {
            return .rejected("X-Hub-Signature-256 must be sha256= followed by 64 hex digits (the HMAC-SHA256 of the body)")
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: body, using: key) else {
            return .rejected("X-Hub-Signature-256 does not match the HMAC-SHA256 of the body keyed with the content of --webhook-secret-file")
        }
        return .accepted
    }

    private func matches(_ token: String) -> Bool {
        BearerToken.same(Array(SHA256.hash(data: Array(token.utf8))), digest)
    }

    /// The token of `Bearer <token>` (scheme in any case), or nil.
    static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// The 32 bytes of `sha256=<64 hex digits>`, or nil.
    static func signatureBytes(_ header: String) -> [UInt8]? {
        let text = Array(header.trimmingCharacters(in: .whitespaces).utf8)
        let prefix = Array("sha256=".utf8)
        guard text.count == prefix.count + 64, Array(text.prefix(prefix.count)) == prefix else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = prefix.count
        while index < text.count {
            guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
