import Foundation
import SwiftASN1
import X509

extension MeshCA {
    /// Checks that `leafPEM` chains to this CA's root through `chainPEM`
    /// (the certificates between leaf and root, may be empty), is valid at
    /// `time` and carries exactly `identity` as its URI SAN, with serverAuth
    /// and clientAuth and CA:false (RFC 5280 path validation through
    /// swift-certificates' `Verifier`, plus `SPIFFELeafPolicy`). Throws
    /// `IdentityError.notVerified` with the reasons otherwise.
    public func verify(chainPEM: String, leafPEM: String, identity: SPIFFEID, at time: Date = Date()) async throws {
        let leaf = try PEM.certificate(leafPEM, source: "the leaf")
        let chain = chainPEM.isEmpty ? [] : try PEM.certificates(chainPEM, source: "the chain")
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy(fixedValidationTime: time)
            SPIFFELeafPolicy(identity: identity)
        }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain)) {
        case .validCertificate:
            return
        case .couldNotValidate(let failures):
            let reasons = failures.map { "\($0.policyFailureReason)" }
            throw IdentityError.notVerified(reasons.isEmpty ? ["no chain to the mesh root was found"] : reasons)
        }
    }
}

/// A workload certificate as the mesh issues it: the leaf's only URI SAN is
/// the expected SPIFFE ID, it may serve and authenticate as a client, and it
/// is no CA. Handles the critical SAN extension of an empty-subject leaf.
struct SPIFFELeafPolicy: VerifierPolicy {
    let identity: SPIFFEID

    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.subjectAlternativeName]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let leaf = chain.leaf
        do {
            let uris = (try leaf.extensions.subjectAlternativeNames ?? SubjectAlternativeNames()).compactMap { name -> String? in
                if case .uniformResourceIdentifier(let uri) = name { return uri }
                return nil
            }
            guard uris == [identity.uri] else {
                return .failsToMeetPolicy(reason: "the leaf's URI SANs are \(uris), not [\(identity.uri)]")
            }
            let usages = try leaf.extensions.extendedKeyUsage
            guard let usages, usages.contains(.serverAuth), usages.contains(.clientAuth) else {
                return .failsToMeetPolicy(reason: "the leaf lacks extKeyUsage serverAuth and clientAuth")
            }
            if case .isCertificateAuthority = try leaf.extensions.basicConstraints {
                return .failsToMeetPolicy(reason: "the leaf is a CA certificate")
            }
        } catch {
            return .failsToMeetPolicy(reason: "the leaf's extensions cannot be decoded: \(error)")
        }
        return .meetsPolicy
    }
}
