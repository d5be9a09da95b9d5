import Foundation
import MeshIdentity
import Testing

/// The TLS peer check of the control plane: the mesh root, exactly the expected SPIFFE ID.
struct PeerCertificateTests {
    static func der(_ pem: String) throws -> [[UInt8]] {
        pem.components(separatedBy: "-----END CERTIFICATE-----").dropLast().map { block in
            let body = block.components(separatedBy: "-----BEGIN CERTIFICATE-----").last ?? ""
            return Array(Data(base64Encoded: body.filter { !$0.isWhitespace }) ?? Data())
        }
    }

    @Test func onlyTheExpectedIdentityUnderTheMeshRootPasses() async throws {
        let folder = TemporaryFolder(), other = TemporaryFolder()
        defer { folder.remove(); other.remove() }
        let ca = try MeshCA.initialize(directory: folder.path)
        let stranger = try MeshCA.initialize(directory: other.path)
        let gwA = try SPIFFEID(namespace: "istio-system", serviceAccount: "gw-a")
        let gwB = try SPIFFEID(namespace: "istio-system", serviceAccount: "gw-b")
        let issued = try ca.sign(csrPEM: try makeCSR(key: .generate(), identity: gwA), expectedIdentity: gwA)
        let chain = try Self.der(issued.fullChainPEM)
        let strangerRoot = try stranger.sign(csrPEM: try makeCSR(key: .generate(), identity: gwA), expectedIdentity: gwA).rootPEM

        #expect(await PeerCertificate.problem(chain: chain, rootPEM: issued.rootPEM, identity: gwA) == nil)
        #expect(await PeerCertificate.problem(chain: chain, rootPEM: issued.rootPEM, identity: gwB) == "presented \(gwA.uri)")
        let foreign = await PeerCertificate.problem(chain: chain, rootPEM: strangerRoot, identity: gwA)
        #expect(foreign?.hasPrefix("presented \(gwA.uri) not verified by the mesh root") == true, "\(foreign ?? "")")
        let expired = await PeerCertificate.problem(chain: chain, rootPEM: issued.rootPEM, identity: gwA, at: Date().addingTimeInterval(2 * 86400))
        #expect(expired != nil)
        #expect(await PeerCertificate.problem(chain: [], rootPEM: issued.rootPEM, identity: gwA) == "presented no certificate")
        #expect(PeerCertificate.presentedIdentity(chain: chain) == gwA.uri)
    }
}
