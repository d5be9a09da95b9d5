import Foundation
import SwiftASN1
import X509

/// The check both ends of the control plane make on the other's TLS
/// certificate chain, as presented in the handshake (DER, leaf first):
/// it chains to the mesh root, is valid now, and its only URI SAN is
/// exactly the identity expected — the proxy's SPIFFE ID for the reconciler,
/// `spiffe://<td>/meshc/reconciler` for an agent.
public enum PeerCertificate {
    /// nil when `chain` verifies against `rootPEM` for `identity` at `time`, else why not
    /// (naming the SAN presented: `presented spiffe://…`).
    public static func problem(chain: [[UInt8]], rootPEM: String, identity: SPIFFEID, at time: Date = Date()) async -> String? {
        guard let first = chain.first, let leaf = try? Certificate(derEncoded: first) else {
            return "presented no certificate"
        }
        let presented = presentedIdentity(leaf)
        guard presented == identity.uri else { return "presented \(presented ?? "no SPIFFE ID")" }
        guard let root = try? PEM.certificate(rootPEM, source: "the mesh root") else { return "the mesh root cannot be read" }
        let intermediates = chain.dropFirst().compactMap { try? Certificate(derEncoded: $0) }
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy(fixedValidationTime: time)
            SPIFFELeafPolicy(identity: identity)
        }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates)) {
        case .validCertificate:
            return nil
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            return "presented \(presented ?? "no SPIFFE ID") not verified by the mesh root (\(reasons.isEmpty ? "no chain to the root" : reasons.joined(separator: "; ")))"
        }
    }

    /// The first URI SAN of the first certificate of `chain`, nil when none.
    public static func presentedIdentity(chain: [[UInt8]]) -> String? {
        chain.first.flatMap { try? Certificate(derEncoded: $0) }.flatMap(presentedIdentity)
    }

    static func presentedIdentity(_ leaf: Certificate) -> String? {
        let names = (try? leaf.extensions.subjectAlternativeNames) ?? nil
        return names?.lazy.compactMap { name -> String? in
            if case .uniformResourceIdentifier(let uri) = name { return uri }
            return nil
        }.first
    }
}
