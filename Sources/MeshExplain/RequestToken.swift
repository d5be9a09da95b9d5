import Foundation

import MeshDiagnostics
import MeshIR

/// The JWT a request carries, found where the chain's providers look for
/// it (Envoy's `jwt_authn` extractor) and checked for what can be checked
/// without the signing keys: form, issuer, `exp`, `nbf` and audiences.
/// The signature is not verified: `meshc route` says so in its output.
package struct RequestToken: Sendable, Equatable {
    /// Where the token was read: `header authorization`, `query access_token`, `cookie session`.
    package var location: String
    package var issuer: String?
    package var subject: String?
    /// The decoded payload (a JSON object): the claims RBAC rules read.
    package var payload: JSON

    /// What `jwt_authn` does with a request.
    enum Check: Equatable {
        /// No token at any provider's location: the request passes on without claims.
        case absent
        case valid(RequestToken)
        /// Envoy answers 401 with `message`; `reason` says why in meshc's words.
        case invalid(message: String, reason: String)
    }

    /// Envoy's default `clock_skew_seconds`: `exp` and `nbf` are checked with this much slack.
    static let clockSkew: TimeInterval = 60

    /// The token check of `providers` on `request` at `now`. Every token found
    /// must pass (a request with one bad token is refused even if another is good).
    static func check(_ providers: [JWTProvider], _ request: ExplainRequest, now: Date) -> Check {
        var found: [(token: String, location: String, providers: [JWTProvider])] = []
        for provider in providers {
            for (token, location) in tokens(for: provider, in: request) {
                if let index = found.firstIndex(where: { $0.token == token }) {
                    found[index].providers.append(provider)
                } else {
                    found.append((token, location, [provider]))
                }
            }
        }
        var first: RequestToken?
        for entry in found {
            switch check(entry.token, location: entry.location, providers: entry.providers, now: now) {
            case .valid(let token): first = first ?? token
            case let failure: return failure
            }
        }
        return first.map(Check.valid) ?? .absent
    }

    private static func check(_ text: String, location: String, providers: [JWTProvider], now: Date) -> Check {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            return .invalid(message: "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections",
                            reason: "the \(location) value is not a JWT")
        }
        guard let bytes = base64URLDecoded(parts[1]), let payload = try? JSON.parse(bytes), payload.members != nil else {
            return .invalid(message: "Jwt payload is an invalid JSON", reason: "the token's payload is not base64url-encoded JSON")
        }
        let token = RequestToken(location: location, issuer: payload.member("iss")?.text, subject: payload.member("sub")?.text, payload: payload)
        let trusting = providers.filter { ($0.issuer ?? "").isEmpty || $0.issuer == token.issuer }
        guard !trusting.isEmpty else {
            let trusted = providers.compactMap(\.issuer).joined(separator: ", ")
            return .invalid(message: "Jwt issuer is not configured",
                            reason: "token issuer \(token.issuer ?? "(none)") is not trusted (trusted issuers: \(trusted))")
        }
        if let expiry = seconds(payload.member("exp")), now.timeIntervalSince1970 > expiry + clockSkew {
            return .invalid(message: "Jwt is expired", reason: "the token expired at \(timestamp(expiry))")
        }
        if let notBefore = seconds(payload.member("nbf")), now.timeIntervalSince1970 + clockSkew < notBefore {
            return .invalid(message: "Jwt not yet valid", reason: "the token is not valid before \(timestamp(notBefore))")
        }
        let audiences = Set(payload.member("aud").map { $0.text.map { [$0] } ?? $0.items.compactMap(\.text) } ?? [])
        guard trusting.contains(where: { $0.audiences.isEmpty || !audiences.isDisjoint(with: $0.audiences) }) else {
            let wanted = Set(trusting.flatMap(\.audiences)).sorted().joined(separator: ", ")
            return .invalid(message: "Audiences in Jwt are not allowed",
                            reason: "the token's audiences (\(audiences.sorted().joined(separator: ", "))) are none of \(wanted)")
        }
        return .valid(token)
    }

    /// Where `provider` looks: its headers, query parameters and cookies;
    /// none written: Envoy's defaults, `Authorization: Bearer` and `?access_token=`.
    private static func tokens(for provider: JWTProvider, in request: ExplainRequest) -> [(token: String, location: String)] {
        var headers = provider.fromHeaders
        var params = provider.fromParams
        if headers.isEmpty && params.isEmpty && provider.fromCookies.isEmpty {
            headers = [("Authorization", "Bearer ")]
            params = ["access_token"]
        }
        var result: [(String, String)] = []
        for header in headers {
            let name = header.name.lowercased()
            for value in request.headers.filter({ $0.name == name }).map(\.value) where value.hasPrefix(header.prefix) {
                let token = String(value.dropFirst(header.prefix.count)).trimmingCharacters(in: .whitespaces)
                if !token.isEmpty { result.append((token, "header \(name)")) }
            }
        }
        for param in params {
            for entry in request.query where entry.name == param && !entry.value.isEmpty { result.append((entry.value, "query \(param)")) }
        }
        let cookies = request.headers.filter { $0.name == "cookie" }.flatMap { $0.value.split(separator: ";") }.compactMap { pair -> (name: String, value: String)? in
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first else { return nil }
            return (name, parts.count > 1 ? parts[1] : "")
        }
        for cookie in provider.fromCookies {
            for entry in cookies where entry.name == cookie && !entry.value.isEmpty { result.append((entry.value, "cookie \(cookie)")) }
        }
        return result
    }

    private static func base64URLDecoded(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    /// A NumericDate claim (seconds since 1970), whole or fractional.
    private static func seconds(_ value: JSON?) -> TimeInterval? {
        switch value {
        case .int(let seconds)?: TimeInterval(seconds)
        case .double(let seconds)?: seconds
        default: nil
        }
    }

    private static func timestamp(_ seconds: TimeInterval) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
