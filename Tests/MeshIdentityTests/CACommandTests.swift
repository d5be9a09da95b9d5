import Foundation
import MeshIdentity
import MeshTestSupport
import Testing

/// `meshc ca init` and `meshc ca sign` as an operator runs them.
@Suite struct CACommandTests {
    @Test func initMakesAPrivateCAAndSignIssuesOnlyTheIdentityAsked() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let dir = folder.file("ca")
        let made = try Tools.meshc(["ca", "init", "--dir", dir, "--trust-domain", "example.org"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try folder.mode("ca") == 0o700)
        #expect(try folder.mode("ca/ca-key.pem") == 0o600)
        #expect(try Tools.meshc(["ca", "init", "--dir", dir]).status == 2, "a folder holding a CA is refused")

        let identity = try SPIFFEID(trustDomain: TrustDomain("example.org"), namespace: "shop", serviceAccount: "cart")
        let key = WorkloadKey.generate()
        let csr = try folder.write("cart.csr", try makeCSR(key: key, identity: identity))
        let signed = try Tools.meshc(["ca", "sign", "--dir", dir, "--csr", csr, "--identity", identity.uri, "--ttl", "1h"])
        #expect(signed.status == 0, "\(signed.stderr)")
        #expect(signed.stdout.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(signed.stderr.contains("serial"), "the serial and expiry go to standard error: \(signed.stderr)")

        let other = try SPIFFEID(trustDomain: TrustDomain("example.org"), namespace: "shop", serviceAccount: "payments")
        let refused = try Tools.meshc(["ca", "sign", "--dir", dir, "--csr", csr, "--identity", other.uri])
        #expect(refused.status == 1, "a CSR for cart is not signed as payments: \(refused.stderr)")
        #expect(refused.stderr.contains(identity.uri) && refused.stderr.contains(other.uri), "\(refused.stderr)")
        #expect(try Tools.meshc(["ca", "sign", "--dir", dir, "--csr", csr, "--identity", identity.uri, "--ttl", "100d"]).status == 2)
    }
}
