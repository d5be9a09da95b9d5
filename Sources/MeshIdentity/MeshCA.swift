import Crypto
import Foundation
import X509

/// The mesh's certificate authority (Citadel's role in istiod): a root made
/// by `initialize`, or an operator's intermediate taken by `importIntermediate`,
/// kept in a folder in Istio's plug-in CA layout:
///
/// - `ca-cert.pem`: the CA's certificate; `ca-key.pem`: its key (mode 0600);
/// - for an intermediate, `root-cert.pem` (the trust anchor) and
///   `cert-chain.pem` (`ca-cert.pem`, the intermediates above it, the root).
///
/// Immutable and `Sendable`: one value signs on every core.
public struct MeshCA: Sendable {
    /// The CA's certificate, the issuer of every workload certificate.
    public let certificate: Certificate
    /// The certificates between `certificate` and `root`, nearest first (empty for a root CA or a root's direct intermediate).
    public let intermediates: [Certificate]
    /// The trust anchor: `certificate` itself for a root CA.
    public let root: Certificate
    /// The CA's private key.
    let key: Certificate.PrivateKey
    /// How the CA signs, chosen from its key type.
    let signatureAlgorithm: Certificate.SignatureAlgorithm
    /// The key identifier workload certificates name as their authority's.
    let keyIdentifier: ArraySlice<UInt8>
    /// The issued chain above a leaf (PEM, empty for a root CA) and the root (PEM), rendered once.
    let chainPEM: String, rootPEM: String

    /// Whether the CA is an intermediate under an operator's root.
    public var isIntermediate: Bool { certificate != root }

    /// Loads the CA in `directory`; refuses a key file group or others can read,
    /// a key that is not the certificate's, a certificate that is no CA and a
    /// chain whose links do not verify.
    public init(directory: String) throws {
        let certificatePath = CAFiles.path(directory, CAFiles.certificate), keyPath = CAFiles.path(directory, CAFiles.key)
        let certificate = try PEM.certificate(try CAFiles.read(certificatePath), source: certificatePath)
        let key = try PEM.privateKey(try CAFiles.readKey(keyPath), source: keyPath)
        let rootPath = CAFiles.path(directory, CAFiles.root), chainPath = CAFiles.path(directory, CAFiles.chain)
        var root = certificate, intermediates: [Certificate] = []
        if CAFiles.exists(rootPath) {
            root = try PEM.certificate(try CAFiles.read(rootPath), source: rootPath)
            if CAFiles.exists(chainPath) {
                intermediates = try PEM.certificates(try CAFiles.read(chainPath), source: chainPath)
                    .filter { $0 != certificate && $0 != root }
            }
        }
        try self.init(certificate: certificate, key: key, intermediates: intermediates, root: root,
                      paths: (certificatePath, keyPath, CAFiles.exists(rootPath) ? chainPath : certificatePath))
    }

    /// A CA from its parts, checked: the key is the certificate's, the
    /// certificate may sign certificates, and `certificate → intermediates → root`
    /// verifies link by link up to a self-signed root. `paths` name the
    /// certificate, key and chain in messages.
    init(certificate: Certificate, key: Certificate.PrivateKey, intermediates: [Certificate], root: Certificate,
         paths: (certificate: String, key: String, chain: String)) throws {
        guard key.publicKey == certificate.publicKey else {
            throw IdentityError.keyDoesNotMatchCertificate(key: paths.key, certificate: paths.certificate)
        }
        try Self.checkIsCA(certificate, path: paths.certificate)
        let links = [certificate] + intermediates + (certificate == root ? [] : [root])
        for (child, parent) in zip(links, links.dropFirst()) {
            try Self.checkIsCA(parent, path: paths.chain)
            guard child.issuer == parent.subject, parent.publicKey.isValidSignature(child.signature, for: child) else {
                throw IdentityError.caFile(paths.chain, "`\(child.subject)` is not signed by `\(parent.subject)`; list the chain from the CA up to the root, in order")
            }
        }
        guard root.issuer == root.subject, root.publicKey.isValidSignature(root.signature, for: root) else {
            let hint = certificate == root ? "the certificate is not self-signed; add root-cert.pem and cert-chain.pem (or give --chain)" : "the last certificate is not a self-signed root; end the chain with the root"
            throw IdentityError.caFile(paths.chain, hint)
        }
        self.certificate = certificate
        self.intermediates = intermediates
        self.root = root
        self.key = key
        self.signatureAlgorithm = try Self.signatureAlgorithm(for: key, path: paths.key)
        self.keyIdentifier = (try? certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        self.chainPEM = certificate == root ? "" : try PEM.text([certificate] + intermediates)
        self.rootPEM = try PEM.text([root])
    }

    /// Throws unless `certificate` is a CA (basicConstraints CA:true) allowed to sign certificates (keyUsage, when present).
    static func checkIsCA(_ certificate: Certificate, path: String) throws {
        let constraints: BasicConstraints?, usage: KeyUsage?
        do {
            constraints = try certificate.extensions.basicConstraints
            usage = try certificate.extensions.keyUsage
        } catch {
            throw IdentityError.notACertificateAuthority(path, "its extensions cannot be decoded (\(error))")
        }
        guard case .isCertificateAuthority = constraints else {
            throw IdentityError.notACertificateAuthority(path, "`\(certificate.subject)` lacks basicConstraints CA:true")
        }
        if let usage, !usage.keyCertSign {
            throw IdentityError.notACertificateAuthority(path, "`\(certificate.subject)` has keyUsage without keyCertSign")
        }
    }

    /// The signature algorithm matching `key`: ECDSA with the curve's hash, SHA-256 with RSA, Ed25519.
    static func signatureAlgorithm(for key: Certificate.PrivateKey, path: String) throws -> Certificate.SignatureAlgorithm {
        let publicKey = key.publicKey
        if P256.Signing.PublicKey(publicKey) != nil { return .ecdsaWithSHA256 }
        if P384.Signing.PublicKey(publicKey) != nil { return .ecdsaWithSHA384 }
        if P521.Signing.PublicKey(publicKey) != nil { return .ecdsaWithSHA512 }
        let supported = key.supportedSignatureAlgorithms
        for algorithm in [Certificate.SignatureAlgorithm.sha256WithRSAEncryption, .ed25519] where supported.contains(algorithm) {
            return algorithm
        }
        throw IdentityError.caFile(path, "its key type (\(key)) cannot sign certificates here; use ECDSA P-256")
    }
}
