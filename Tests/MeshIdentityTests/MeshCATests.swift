import Crypto
import Foundation
import MeshIdentity
import Testing
import X509

/// `MeshCA.initialize`, loading a CA folder, and importing an operator's CA.
@Suite struct MeshCATests {
    @Test func initializeWritesAPrivateRootAndLoadsItAgain() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let ca = try MeshCA.initialize(directory: folder.path, trustDomain: try TrustDomain("corp.example"))
        #expect(try folder.mode("") == 0o700)
        #expect(try folder.mode("ca-key.pem") == 0o600)
        #expect(try folder.mode("ca-cert.pem") == 0o644)
        #expect(!FileManager.default.fileExists(atPath: folder.file("root-cert.pem")))
        #expect(!ca.isIntermediate)

        let root = ca.certificate
        #expect(root.subject.description == "CN=corp.example root,O=meshc")
        #expect(root.issuer == root.subject)
        #expect(P256.Signing.PublicKey(root.publicKey) != nil)
        let constraints = try #require(root.extensions[oid: .X509ExtensionID.basicConstraints])
        #expect(constraints.critical)
        #expect(try root.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
        let usage = try #require(root.extensions[oid: .X509ExtensionID.keyUsage])
        #expect(usage.critical)
        #expect(try root.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(try root.extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: root.publicKey))

        let loaded = try MeshCA(directory: folder.path)
        #expect(loaded.certificate == root)
        #expect(loaded.root == root)
    }

    @Test func initializeRefusesAFolderThatHoldsACA() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        _ = try MeshCA.initialize(directory: folder.path)
        #expect(throws: IdentityError.caExists(folder.path)) { try MeshCA.initialize(directory: folder.path) }
    }

    @Test func aKeyOthersCanReadIsRefused() throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        _ = try MeshCA.initialize(directory: folder.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.file("ca-key.pem"))
        #expect(throws: IdentityError.keyFileReadable(folder.file("ca-key.pem"), 0o644)) { try MeshCA(directory: folder.path) }
        let message = "\(IdentityError.keyFileReadable(folder.file("ca-key.pem"), 0o644))"
        #expect(message.contains("chmod 600"))
    }

    @Test func aMissingFolderIsReported() {
        #expect(throws: IdentityError.caFile("/nonexistent/meshc-ca/ca-cert.pem", "it does not exist")) {
            try MeshCA(directory: "/nonexistent/meshc-ca")
        }
    }

    @Test func importsAnIntermediateWithItsChain() throws {
        let folder = TemporaryFolder(), source = TemporaryFolder()
        defer { folder.remove(); source.remove() }
        let root = try OperatorCA.root("Corp Root")
        let middle = try root.issue("Corp Policy CA")
        let issuing = try middle.issue("Corp Mesh CA")
        let cert = try source.write("ca.pem", try issuing.certificatePEM)
        let key = try source.write("ca.key", try issuing.keyPEM, mode: 0o600)
        // Istio's cert-chain.pem form: the CA itself leads.
        let chain = try source.write("chain.pem", try issuing.certificatePEM + middle.certificatePEM + root.certificatePEM)

        let ca = try MeshCA.importIntermediate(directory: folder.path, cert: cert, key: key, chain: chain)
        #expect(ca.isIntermediate)
        #expect(ca.certificate == issuing.certificate)
        #expect(ca.intermediates == [middle.certificate])
        #expect(ca.root == root.certificate)
        #expect(try folder.mode("") == 0o700)
        #expect(try folder.mode("ca-key.pem") == 0o600)
        #expect(try String(contentsOfFile: folder.file("root-cert.pem"), encoding: .utf8) == root.certificatePEM)
        #expect(try String(contentsOfFile: folder.file("cert-chain.pem"), encoding: .utf8)
            == issuing.certificatePEM + middle.certificatePEM + root.certificatePEM)

        let loaded = try MeshCA(directory: folder.path)
        #expect(loaded.certificate == issuing.certificate)
        #expect(loaded.intermediates == [middle.certificate])
        #expect(loaded.root == root.certificate)
    }

    @Test func importsARootWithoutAChain() throws {
        let folder = TemporaryFolder(), source = TemporaryFolder()
        defer { folder.remove(); source.remove() }
        let root = try OperatorCA.root("Corp Root")
        let ca = try MeshCA.importIntermediate(directory: folder.path, cert: try source.write("ca.pem", try root.certificatePEM),
                                               key: try source.write("ca.key", try root.keyPEM, mode: 0o600))
        #expect(!ca.isIntermediate)
        #expect(!FileManager.default.fileExists(atPath: folder.file("cert-chain.pem")))
    }

    @Test func importRefusesAnIntermediateWithoutItsChain() throws {
        let folder = TemporaryFolder(), source = TemporaryFolder()
        defer { folder.remove(); source.remove() }
        let issuing = try OperatorCA.root("Corp Root").issue("Corp Mesh CA")
        let cert = try source.write("ca.pem", try issuing.certificatePEM)
        #expect(throws: IdentityError.self) {
            try MeshCA.importIntermediate(directory: folder.path, cert: cert, key: try source.write("ca.key", try issuing.keyPEM, mode: 0o600))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("ca-cert.pem")))
    }

    @Test func importRefusesAKeyOfAnotherCertificate() throws {
        let folder = TemporaryFolder(), source = TemporaryFolder()
        defer { folder.remove(); source.remove() }
        let root = try OperatorCA.root("Corp Root"), other = try OperatorCA.root("Other Root")
        let cert = try source.write("ca.pem", try root.certificatePEM), key = try source.write("other.key", try other.keyPEM, mode: 0o600)
        #expect(throws: IdentityError.keyDoesNotMatchCertificate(key: key, certificate: cert)) {
            try MeshCA.importIntermediate(directory: folder.path, cert: cert, key: key)
        }
    }

    @Test func importRefusesACertificateThatIsNoCA() throws {
        let folder = TemporaryFolder(), source = TemporaryFolder()
        defer { folder.remove(); source.remove() }
        let root = try OperatorCA.root("Corp Root")
        let leaf = try root.issue("web", isCA: false)
        do {
            _ = try MeshCA.importIntermediate(directory: folder.path, cert: try source.write("leaf.pem", try leaf.certificatePEM),
                                              key: try source.write("leaf.key", try leaf.keyPEM, mode: 0o600),
                                              chain: try source.write("chain.pem", try root.certificatePEM))
            Issue.record("a leaf was imported as a CA")
        } catch let error as IdentityError {
            guard case .notACertificateAuthority = error else { Issue.record("\(error)"); return }
            #expect("\(error)".contains("CA:true"))
        }
    }

    @Test func importRefusesAChainThatDoesNotLink() throws {
        let folder = TemporaryFolder(), source = TemporaryFolder()
        defer { folder.remove(); source.remove() }
        let issuing = try OperatorCA.root("Corp Root").issue("Corp Mesh CA")
        let stranger = try OperatorCA.root("Corp Root") // same name, other key
        do {
            _ = try MeshCA.importIntermediate(directory: folder.path, cert: try source.write("ca.pem", try issuing.certificatePEM),
                                              key: try source.write("ca.key", try issuing.keyPEM, mode: 0o600),
                                              chain: try source.write("chain.pem", try stranger.certificatePEM))
            Issue.record("a chain to another root was accepted")
        } catch {
            #expect("\(error)".contains("is not signed by"), "\(error)")
        }
    }

    @Test func importRefusesAReadableSourceKey() throws {
        let folder = TemporaryFolder(), source = TemporaryFolder()
        defer { folder.remove(); source.remove() }
        let root = try OperatorCA.root("Corp Root")
        let key = try source.write("ca.key", try root.keyPEM, mode: 0o640)
        #expect(throws: IdentityError.keyFileReadable(key, 0o640)) {
            try MeshCA.importIntermediate(directory: folder.path, cert: try source.write("ca.pem", try root.certificatePEM), key: key)
        }
    }
}
