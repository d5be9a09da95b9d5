import Crypto
import Foundation
import MeshIdentity
import SwiftASN1
import Testing
import X509

/// Issuance like istiod: a CSR is signed only for the identity the caller expects.
@Suite struct SigningTests {
    let folder = TemporaryFolder()
    let ca: MeshCA
    let web: SPIFFEID

    init() throws {
        // An hour old, so that a leaf's notBefore (now - 5 min) is not cut at the root's.
        ca = try MeshCA.initialize(directory: folder.path, now: Date().addingTimeInterval(-3600))
        web = try SPIFFEID(namespace: "shop", serviceAccount: "web")
    }

    @Test func signedCertificateVerifiesAndCarriesExactlyTheIdentity() async throws {
        defer { folder.remove() }
        let now = wholeSeconds()
        let key = WorkloadKey.generate()
        let issued = try ca.sign(csrPEM: try makeCSR(key: key, identity: web), expectedIdentity: web, ttl: .seconds(3600), now: now)
        let leaf = issued.certificate

        #expect(leaf.publicKey == Certificate.PublicKey(key.privateKey.publicKey))
        #expect(leaf.issuer == ca.certificate.subject)
        #expect(leaf.subject == DistinguishedName())
        #expect(try leaf.extensions.subjectAlternativeNames == SubjectAlternativeNames([.uniformResourceIdentifier(web.uri)]))
        #expect(try #require(leaf.extensions[oid: .X509ExtensionID.subjectAlternativeName]).critical)
        #expect(try leaf.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth, .clientAuth]))
        #expect(try leaf.extensions.keyUsage == KeyUsage(digitalSignature: true, keyEncipherment: true))
        #expect(try #require(leaf.extensions[oid: .X509ExtensionID.keyUsage]).critical)
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try leaf.extensions.authorityKeyIdentifier?.keyIdentifier == ca.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(leaf.notValidBefore == now.addingTimeInterval(-300))
        #expect(leaf.notValidAfter == now.addingTimeInterval(3600))
        #expect(issued.expiry == leaf.notValidAfter)
        #expect(issued.serial.count >= 30 && issued.serial.count <= 32)
        #expect(issued.serial == leaf.serialNumber.bytes.drop { $0 == 0 }.map { String(format: "%02x", $0) }.joined())
        #expect(issued.chainPEM.isEmpty)
        #expect(issued.rootPEM == (try ca.root.serializeAsPEM().pemString + "\n"))
        #expect(issued.fullChainPEM == issued.certificatePEM)

        try await ca.verify(chainPEM: issued.chainPEM, leafPEM: issued.certificatePEM, identity: web, at: now)
        try await ca.verify(chainPEM: "", leafPEM: issued.certificatePEM, identity: web, at: now.addingTimeInterval(3599))
    }

    @Test func verifyRefusesAnotherIdentityAnExpiredLeafAndAnotherCA() async throws {
        defer { folder.remove() }
        let now = wholeSeconds()
        let issued = try ca.sign(csrPEM: try makeCSR(key: .generate(), identity: web), expectedIdentity: web, ttl: .seconds(60), now: now)
        let other = try SPIFFEID(namespace: "shop", serviceAccount: "cart")
        await #expect(throws: IdentityError.self) { try await ca.verify(chainPEM: "", leafPEM: issued.certificatePEM, identity: other, at: now) }
        await #expect(throws: IdentityError.self) {
            try await ca.verify(chainPEM: "", leafPEM: issued.certificatePEM, identity: web, at: now.addingTimeInterval(61))
        }
        let otherFolder = TemporaryFolder()
        defer { otherFolder.remove() }
        let stranger = try MeshCA.initialize(directory: otherFolder.path)
        await #expect(throws: IdentityError.self) { try await stranger.verify(chainPEM: "", leafPEM: issued.certificatePEM, identity: web, at: now) }
    }

    @Test func aCSRForAnotherIdentityIsRefusedNamingBoth() throws {
        defer { folder.remove() }
        let cart = try SPIFFEID(namespace: "shop", serviceAccount: "cart")
        do {
            _ = try ca.sign(csrPEM: try makeCSR(key: .generate(), identity: cart), expectedIdentity: web)
            Issue.record("a CSR for another identity was signed")
        } catch {
            #expect(error as? IdentityError == .identityMismatch(requested: [cart.uri], expected: web))
            #expect("\(error)".contains(cart.uri) && "\(error)".contains(web.uri), "\(error)")
        }
    }

    /// Each case: the URI SANs a CSR asks for; none is exactly the expected identity.
    @Test(arguments: [[], ["spiffe://cluster.local/ns/shop/sa/web", "spiffe://cluster.local/ns/shop/sa/cart"],
                      ["spiffe://cluster.local/ns/shop/sa/web", "spiffe://cluster.local/ns/shop/sa/web"],
                      ["spiffe://other.domain/ns/shop/sa/web"]])
    func onlyExactlyTheIdentityIsSigned(_ uris: [String]) throws {
        defer { folder.remove() }
        #expect(throws: IdentityError.identityMismatch(requested: uris, expected: web)) {
            try ca.sign(csrPEM: try csr(uris: uris).pem, expectedIdentity: web)
        }
    }

    @Test func aCSRWithOtherKindsOfSANIsRefused() throws {
        defer { folder.remove() }
        let extensions = try Certificate.Extensions {
            SubjectAlternativeNames([.uniformResourceIdentifier(web.uri), .dnsName("web.shop.svc")])
        }
        let request = try CertificateSigningRequest(
            version: .v1, subject: DistinguishedName(), privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()),
            attributes: CertificateSigningRequest.Attributes([.init(ExtensionRequest(extensions: extensions))]))
        #expect(throws: IdentityError.self) { try ca.sign(csrPEM: try request.pem, expectedIdentity: web) }
    }

    @Test func aCSRWithABadSignatureIsRefused() throws {
        defer { folder.remove() }
        let honest = try csr(uris: [web.uri]), other = try csr(uris: [web.uri])
        let forged = try CertificateSigningRequest(
            version: honest.version, subject: honest.subject, publicKey: honest.publicKey, attributes: honest.attributes,
            signatureAlgorithm: other.signatureAlgorithm, signature: other.signature)
        #expect(throws: IdentityError.csrSignatureInvalid) { try ca.sign(csrPEM: try forged.pem, expectedIdentity: web) }
    }

    @Test func garbageIsNoCSR() throws {
        defer { folder.remove() }
        #expect(throws: IdentityError.self) { try ca.sign(csrPEM: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", expectedIdentity: web) }
        #expect(throws: IdentityError.self) { try ca.sign(csrPEM: "", expectedIdentity: web) }
        #expect(throws: IdentityError.self) { try ca.sign(csrPEM: try ca.root.serializeAsPEM().pemString, expectedIdentity: web) }
    }

    @Test func p384KeysAreAcceptedAndEd25519IsNot() throws {
        defer { folder.remove() }
        let p384 = try csr(uris: [web.uri], key: Certificate.PrivateKey(P384.Signing.PrivateKey()))
        #expect(P384.Signing.PublicKey(try ca.sign(csrPEM: try p384.pem, expectedIdentity: web).certificate.publicKey) != nil)
        let ed25519 = try csr(uris: [web.uri], key: Certificate.PrivateKey(Curve25519.Signing.PrivateKey()))
        do {
            _ = try ca.sign(csrPEM: try ed25519.pem, expectedIdentity: web)
            Issue.record("an Ed25519 key was accepted")
        } catch {
            #expect("\(error)".contains("P-256 or P-384"), "\(error)")
        }
    }

    /// Each case: the TTL in seconds and whether the CA issues it.
    @Test(arguments: [(59, false), (60, true), (86400, true), (90 * 86400, true), (90 * 86400 + 1, false), (0, false), (-60, false)] as [(Int64, Bool)])
    func ttlBounds(_ seconds: Int64, _ allowed: Bool) throws {
        defer { folder.remove() }
        let now = wholeSeconds()
        let request = try makeCSR(key: .generate(), identity: web)
        if allowed {
            #expect(try ca.sign(csrPEM: request, expectedIdentity: web, ttl: .seconds(seconds), now: now).expiry == now.addingTimeInterval(TimeInterval(seconds)))
        } else {
            #expect(throws: IdentityError.ttlOutOfRange(.seconds(seconds))) { try ca.sign(csrPEM: request, expectedIdentity: web, ttl: .seconds(seconds)) }
        }
    }

    @Test func theDefaultTTLIsADay() throws {
        defer { folder.remove() }
        let now = wholeSeconds()
        let issued = try ca.sign(csrPEM: try makeCSR(key: .generate(), identity: web), expectedIdentity: web, now: now)
        #expect(issued.expiry == now.addingTimeInterval(86400))
    }

    @Test func serialsAreRandom() throws {
        defer { folder.remove() }
        let request = try makeCSR(key: .generate(), identity: web)
        let serials = try (0..<50).map { _ in try ca.sign(csrPEM: request, expectedIdentity: web).serial }
        #expect(Set(serials).count == 50)
    }

    @Test func anIntermediateIssuesWithItsChain() async throws {
        defer { folder.remove() }
        let target = TemporaryFolder(), source = TemporaryFolder()
        defer { target.remove(); source.remove() }
        let root = try OperatorCA.root("Corp Root")
        let middle = try root.issue("Corp Policy CA")
        let issuing = try middle.issue("Corp Mesh CA")
        let intermediate = try MeshCA.importIntermediate(
            directory: target.path, cert: try source.write("ca.pem", try issuing.certificatePEM),
            key: try source.write("ca.key", try issuing.keyPEM, mode: 0o600),
            chain: try source.write("chain.pem", try middle.certificatePEM + root.certificatePEM))
        let issued = try intermediate.sign(csrPEM: try makeCSR(key: .generate(), identity: web), expectedIdentity: web)
        #expect(issued.chainPEM == (try issuing.certificatePEM + middle.certificatePEM))
        #expect(issued.rootPEM == (try root.certificatePEM))
        #expect(issued.fullChainPEM == issued.certificatePEM + issued.chainPEM)
        #expect(try issued.certificate.extensions.authorityKeyIdentifier?.keyIdentifier == issuing.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        // The leaf never outlives the CA above it.
        #expect(issued.expiry <= issuing.certificate.notValidAfter)

        try await intermediate.verify(chainPEM: issued.chainPEM, leafPEM: issued.certificatePEM, identity: web)
        // Without the intermediates the leaf does not reach the root.
        await #expect(throws: IdentityError.self) { try await intermediate.verify(chainPEM: "", leafPEM: issued.certificatePEM, identity: web) }
    }

    @Test func aWorkloadKeyRoundTripsAsPEM() throws {
        defer { folder.remove() }
        let key = WorkloadKey.generate()
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try P256.Signing.PrivateKey(pemRepresentation: key.pem).rawRepresentation == key.privateKey.rawRepresentation)
        let request = try CertificateSigningRequest(pemEncoded: try makeCSR(key: key, identity: web))
        #expect(request.publicKey == Certificate.PublicKey(key.privateKey.publicKey))
        #expect(request.publicKey.isValidSignature(request.signature, for: request))
    }
}
