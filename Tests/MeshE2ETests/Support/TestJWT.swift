import Crypto
import Foundation

/// An ES256 signing key and the JWTs it signs, for RequestAuthentication tests:
/// the JWKS goes inline into the manifest, tokens into requests.
struct TestJWT {
    let key = P256.Signing.PrivateKey()
    let kid = "meshc-e2e"

    /// The public key as a JWKS document (`{"keys": [...]}`), one line.
    var jwks: String {
        let raw = key.publicKey.rawRepresentation  // x || y, 32 bytes each
        let x = Self.base64url(raw.prefix(32)), y = Self.base64url(raw.suffix(32))
        return #"{"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"\#(kid)","x":"\#(x)","y":"\#(y)"}]}"#
    }

    /// A signed token with `claims` (`exp` one hour from now unless given).
    func token(_ claims: [String: Any]) throws -> String {
        var claims = claims
        if claims["exp"] == nil { claims["exp"] = Int(Date().timeIntervalSince1970) + 3600 }
        let header = try JSONSerialization.data(withJSONObject: ["alg": "ES256", "typ": "JWT", "kid": kid], options: .sortedKeys)
        let payload = try JSONSerialization.data(withJSONObject: claims, options: .sortedKeys)
        let input = Self.base64url(header) + "." + Self.base64url(payload)
        let signature = try key.signature(for: Data(input.utf8))
        return input + "." + Self.base64url(signature.rawRepresentation)
    }

    static func base64url(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
