import Crypto
import Foundation
import X509

/// What a CSR carries to show it comes from the proxy's own agent, since the
/// reconciler signs for whoever answers at a committed `agent.address`:
///
/// - `enrollment`: first contact. HMAC-SHA256 of the CSR's PEM bytes keyed
///   with the one-time enrollment token `meshc ca enroll --proxy NAME`
///   made (`EnrollmentStore`); the token itself never crosses the wire.
/// - `renewal`: every later CSR. The agent's current certificate chain and an
///   ECDSA signature, with that certificate's key, over `renewalContext`
///   followed by the CSR's PEM bytes; the certificate must chain to the mesh
///   root and name exactly the identity asked for.
///
/// So an impostor at a committed address gets no certificate: it has neither
/// the token nor the proxy's key.
public enum CSRProof: Sendable, Equatable {
    /// Lowercase hex HMAC-SHA256(key: token, data: CSR PEM).
    case enrollment(mac: String)
    /// The current certificate chain (PEM, leaf first) and a base64 DER ECDSA-SHA256 signature.
    case renewal(chainPEM: String, signature: String)

    /// Domain separation for renewal signatures (never a valid CSR prefix).
    public static let renewalContext = "meshc renewal v1\n"

    /// The enrollment proof of `csrPEM` with `token`.
    public static func enrollment(token: String, csrPEM: String) -> CSRProof {
        .enrollment(mac: mac(token: token, csrPEM: csrPEM))
    }

    /// The renewal proof of `csrPEM`: `key` is the current certificate's, `chainPEM` that certificate and its chain.
    public static func renewal(key: WorkloadKey, chainPEM: String, csrPEM: String) throws -> CSRProof {
        let signature = try key.privateKey.signature(for: Data((renewalContext + csrPEM).utf8))
        return .renewal(chainPEM: chainPEM, signature: signature.derRepresentation.base64EncodedString())
    }

    /// What the reconciler sends with the first certificate to an enrolling
    /// agent (plain HTTP, no bearer token): HMAC-SHA256 of the chain and root
    /// keyed with the enrollment token, so nobody else can install a certificate
    /// (and a trust anchor) of their own CA on the agent.
    public static func installMAC(token: String, chainPEM: String, rootPEM: String) -> String {
        mac(token: token, csrPEM: "meshc install v1\n" + chainPEM + rootPEM)
    }

    /// HMAC-SHA256 of `csrPEM` keyed with `token`, lowercase hex.
    public static func mac(token: String, csrPEM: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(csrPEM.utf8), using: SymmetricKey(data: Data(token.utf8)))
        return MeshCA.hex(Array(code))
    }
}

extension MeshCA {
    /// Checks a renewal proof: `chainPEM`'s leaf chains to this CA's root,
    /// is valid at `time`, names exactly `identity`, and its key signed
    /// `CSRProof.renewalContext + csrPEM` (`signature`, base64 DER).
    /// Throws `IdentityError.notVerified` saying why not.
    public func verifyRenewal(chainPEM: String, signature: String, csrPEM: String, identity: SPIFFEID,
                              at time: Date = Date()) async throws {
        let chain = try PEM.certificates(chainPEM, source: "the agent's current certificate")
        let rest = try PEM.text(Array(chain.dropFirst()))
        try await verify(chainPEM: rest, leafPEM: try PEM.text([chain[0]]), identity: identity, at: time)
        guard let key = P256.Signing.PublicKey(chain[0].publicKey), let der = Data(base64Encoded: signature),
              let parsed = try? P256.Signing.ECDSASignature(derRepresentation: der),
              key.isValidSignature(parsed, for: Data((CSRProof.renewalContext + csrPEM).utf8)) else {
            throw IdentityError.notVerified(["the renewal signature does not verify with the current certificate's key"])
        }
    }
}
