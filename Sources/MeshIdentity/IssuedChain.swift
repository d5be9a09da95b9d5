import Crypto
import Foundation
import X509

/// The agent's check of what the reconciler installs: the leaf is for the
/// key the agent made, names the identity it asked for, and chains through
/// the given intermediates to the given root (RFC 5280 and `SPIFFELeafPolicy`).
public enum IssuedChain {
    /// Throws `IdentityError.notVerified` unless `fullChainPEM` (leaf first)
    /// chains to `rootPEM`, its leaf carries `key`'s public key and exactly `identity`.
    public static func verify(fullChainPEM: String, rootPEM: String, key: WorkloadKey, identity: SPIFFEID,
                              at time: Date = Date()) async throws {
        let chain = try PEM.certificates(fullChainPEM, source: "the certificate chain")
        let root = try PEM.certificate(rootPEM, source: "the root")
        guard let leaf = chain.first else { throw IdentityError.notVerified(["the chain is empty"]) }
        guard P256.Signing.PublicKey(leaf.publicKey)?.rawRepresentation == key.privateKey.publicKey.rawRepresentation else {
            throw IdentityError.notVerified(["the certificate is not for the key this agent made"])
        }
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy(fixedValidationTime: time)
            SPIFFELeafPolicy(identity: identity)
        }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(Array(chain.dropFirst()))) {
        case .validCertificate:
            return
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            throw IdentityError.notVerified(reasons.isEmpty ? ["no chain to the given root was found"] : reasons)
        }
    }

    /// Whether the first certificate of `pem` holds `key`'s public key.
    public static func matches(pem: String, key: WorkloadKey) -> Bool {
        guard let leaf = try? PEM.certificates(pem, source: "the certificate").first else { return false }
        return P256.Signing.PublicKey(leaf.publicKey)?.rawRepresentation == key.privateKey.publicKey.rawRepresentation
    }
}

extension WorkloadKey {
    /// Reads a PEM key (PKCS#8 or SEC1) written by `pem`.
    public init(pem text: String) throws {
        do {
            self.init(try P256.Signing.PrivateKey(pemRepresentation: text))
        } catch {
            throw IdentityError.caFile("the workload key", "it holds no readable P-256 key (\(error))")
        }
    }
}
