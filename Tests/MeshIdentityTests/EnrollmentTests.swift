import Foundation
import MeshIdentity
import Testing

/// Enrollment tokens (single use, expiry, one proxy) and the proofs a CSR carries.
struct EnrollmentTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"

    @Test func aTokenWorksOnceForItsProxyUntilItExpires() throws {
        var list = EnrollmentList()
        list.add(proxy: "gw", token: "t1", ttl: .seconds(3600), now: now)
        let mac = CSRProof.mac(token: "t1", csrPEM: csr)
        #expect(throws: EnrollmentRefusal.noToken("other")) { try list.redeem(proxy: "other", csrPEM: csr, mac: mac, now: now) }
        #expect(throws: EnrollmentRefusal.noToken("gw")) { try list.redeem(proxy: "gw", csrPEM: csr + "x", mac: mac, now: now) }
        #expect(throws: EnrollmentRefusal.noToken("gw")) {
            try list.redeem(proxy: "gw", csrPEM: csr, mac: CSRProof.mac(token: "t2", csrPEM: csr), now: now)
        }
        #expect(throws: EnrollmentRefusal.expired("gw")) { try list.redeem(proxy: "gw", csrPEM: csr, mac: mac, now: now.addingTimeInterval(3600)) }
        try list.redeem(proxy: "gw", csrPEM: csr, mac: mac, now: now.addingTimeInterval(10))
        #expect(list.entries[0].used == now.addingTimeInterval(10))
        #expect(throws: EnrollmentRefusal.used("gw")) { try list.redeem(proxy: "gw", csrPEM: csr, mac: mac, now: now.addingTimeInterval(20)) }
    }

    @Test func addingDropsExpiredTokens() {
        var list = EnrollmentList()
        list.add(proxy: "a", token: "t1", ttl: .seconds(60), now: now)
        list.add(proxy: "b", token: "t2", ttl: .seconds(60), now: now.addingTimeInterval(61))
        #expect(list.entries.map(\.proxy) == ["b"])
    }

    @Test func theStoreIsOwnerOnlyAndSharedThroughTheFile() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        _ = try MeshCA.initialize(directory: folder.path)
        let token = try EnrollmentStore.enroll(directory: folder.path, proxy: "gw", ttl: .seconds(3600), now: now)
        #expect(token.count == 64)
        #expect(try folder.mode(EnrollmentStore.file) == 0o600)
        let mac = CSRProof.mac(token: token, csrPEM: csr)
        try EnrollmentStore.redeem(directory: folder.path, proxy: "gw", csrPEM: csr, mac: mac, now: now)
        #expect(throws: EnrollmentRefusal.used("gw")) {
            try EnrollmentStore.redeem(directory: folder.path, proxy: "gw", csrPEM: csr, mac: mac, now: now)
        }
        #expect(try EnrollmentStore.load(folder.path).entries.count == 1)
    }

    @Test func aRenewalIsProvedByTheCurrentCertificateOfTheSameIdentity() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let ca = try MeshCA.initialize(directory: folder.path)
        let identity = try SPIFFEID(namespace: "default", serviceAccount: "web")
        let key = WorkloadKey.generate()
        let current = try ca.sign(csrPEM: try makeCSR(key: key, identity: identity), expectedIdentity: identity)
        let next = try makeCSR(key: .generate(), identity: identity)
        guard case .renewal(let chain, let signature) = try CSRProof.renewal(key: key, chainPEM: current.fullChainPEM, csrPEM: next) else {
            Issue.record("not a renewal proof"); return
        }
        try await ca.verifyRenewal(chainPEM: chain, signature: signature, csrPEM: next, identity: identity)
        // Another CSR than the one signed, another identity, another key: refused.
        await #expect(throws: IdentityError.self) {
            try await ca.verifyRenewal(chainPEM: chain, signature: signature, csrPEM: next + " ", identity: identity)
        }
        await #expect(throws: IdentityError.self) {
            try await ca.verifyRenewal(chainPEM: chain, signature: signature, csrPEM: next,
                                       identity: try SPIFFEID(namespace: "default", serviceAccount: "db"))
        }
        let stranger = try CSRProof.renewal(key: .generate(), chainPEM: current.fullChainPEM, csrPEM: next)
        if case .renewal(_, let forged) = stranger {
            await #expect(throws: IdentityError.self) {
                try await ca.verifyRenewal(chainPEM: chain, signature: forged, csrPEM: next, identity: identity)
            }
        }
    }

    @Test func theAgentChecksTheChainIsForItsKeyAndIdentity() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let ca = try MeshCA.initialize(directory: folder.path)
        let identity = try SPIFFEID(namespace: "default", serviceAccount: "web")
        let key = WorkloadKey.generate()
        let issued = try ca.sign(csrPEM: try makeCSR(key: key, identity: identity), expectedIdentity: identity)
        try await IssuedChain.verify(fullChainPEM: issued.fullChainPEM, rootPEM: issued.rootPEM, key: key, identity: identity)
        await #expect(throws: IdentityError.self) {
            try await IssuedChain.verify(fullChainPEM: issued.fullChainPEM, rootPEM: issued.rootPEM, key: .generate(), identity: identity)
        }
        let summary = try CertificateSummary(pem: issued.fullChainPEM)
        #expect(summary.serial == issued.serial)
        #expect(summary.expiry == issued.expiry)
        #expect(summary.identity == identity.uri)
        #expect(ca.trustDomain == .default)
        #expect(try CertificateSummary.fingerprint(pem: issued.rootPEM) == ca.rootFingerprint)
    }
}
