import Foundation
import MeshAgent
import MeshIdentity
import MeshPipeline

/// The reconciler's side of the mesh CA: which identity a proxy gets, and
/// signing an agent's CSR once its proof holds (`CSRProof`). The CA folder
/// is read at every issuance, so a CA that becomes unreadable (an outage)
/// only stops issuance — agents keep the certificates they have, `/status`
/// says `certificate not renewed: …` — and a repaired one is used at once.
package struct CertificateIssuer: Sendable {
    /// The CA folder (`meshc ca init`).
    package var caDirectory: String
    /// The trust domain identities are made in.
    package var trustDomain: TrustDomain
    /// The lifetime of issued certificates.
    package var ttl: Duration

    /// An issuer signing from `caDirectory` for `trustDomain`, certificates valid for `ttl`.
    package init(caDirectory: String, trustDomain: TrustDomain, ttl: Duration) {
        self.caDirectory = caDirectory
        self.trustDomain = trustDomain
        self.ttl = ttl
    }

    /// The SPIFFE ID the repository gives `proxy`: `spiffe://<td>/ns/<namespace>/sa/<serviceAccount>`.
    package func identity(of proxy: DesiredProxy) throws -> SPIFFEID {
        try SPIFFEID(trustDomain: trustDomain, namespace: proxy.identity.namespace, serviceAccount: proxy.identity.serviceAccount)
    }

    /// The CA as the folder holds it now.
    package func loadCA() throws -> MeshCA { try MeshCA(directory: caDirectory) }

    /// A signed certificate and, for an enrollment, the MAC an enrolling agent needs to install it.
    package struct Signed: Sendable {
        /// The certificate.
        package var certificate: IssuedCertificate
        /// `CSRProof.installMAC` keyed with the enrollment token (nil for a renewal).
        package var installMAC: String?
        /// The enrollment token to spend once the certificate is installed (nil for a renewal).
        package var enrollmentToken: String?
    }

    /// Marks an enrollment token used: after the install, so a failed install leaves it usable.
    package func spend(_ signed: Signed, now: Date = Date()) throws {
        if let token = signed.enrollmentToken { try EnrollmentStore.spend(directory: caDirectory, token: token, now: now) }
    }

    /// Signs `answer.csr` for exactly `identity` once its proof holds: an
    /// enrollment token of `proxy` (spent after the install: it works once) or the agent's
    /// current certificate for the same identity (`enrollmentOnly`: an agent
    /// not verified over mTLS may only enroll). Throws a message saying what to do otherwise.
    package func sign(_ answer: AgentIdentity.CSRAnswer, proxy: String, identity: SPIFFEID, ca: MeshCA,
                      enrollmentOnly: Bool = false, now: Date = Date()) async throws -> Signed {
        switch answer.csrProof {
        case nil:
            throw IssuanceError("the agent sent no proof (no certificate and no enrollment token); run `meshc ca enroll --dir \(caDirectory) --proxy \(proxy)` and start the agent with --enroll-token-file")
        case .renewal(let chainPEM, let signature)?:
            if enrollmentOnly {
                throw IssuanceError("the agent serves plain HTTP yet claims a certificate; an agent with a certificate serves mTLS — restart it, or enroll it again: `meshc ca enroll --proxy \(proxy)`")
            }
            do {
                try await ca.verifyRenewal(chainPEM: chainPEM, signature: signature, csrPEM: answer.csr, identity: identity, at: now)
            } catch {
                throw IssuanceError("the agent's current certificate does not prove it is \(identity) (\(error)); if the proxy's identity changed or its certificate expired, enroll it again: `meshc ca enroll --proxy \(proxy)`")
            }
            return Signed(certificate: try ca.sign(csrPEM: answer.csr, expectedIdentity: identity, ttl: ttl, now: now), installMAC: nil, enrollmentToken: nil)
        case .enrollment(let mac)?:
            // Checked here, spent after the install (`spend`).
            let token = try EnrollmentStore.check(directory: caDirectory, proxy: proxy, csrPEM: answer.csr, mac: mac, now: now)
            let issued = try ca.sign(csrPEM: answer.csr, expectedIdentity: identity, ttl: ttl, now: now)
            return Signed(certificate: issued, installMAC: CSRProof.installMAC(token: token, chainPEM: issued.fullChainPEM, rootPEM: issued.rootPEM),
                          enrollmentToken: token)
        }
    }
}

/// Issuance refused for a reason the operator fixes.
package struct IssuanceError: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ description: String) { self.description = description }
}
