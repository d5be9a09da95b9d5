import Crypto
import Foundation
import MeshDiagnostics
import X509

extension MeshCA {
    /// The default lifetime of a root `initialize` makes: ten years, as istiod's self-signed root.
    public static let defaultRootValidity: Duration = .seconds(10 * 365 * 24 * 3600)

    /// Makes a self-signed ECDSA P-256 root for `trustDomain` in `directory`
    /// (made with mode 0700 if missing; refused if it already holds a CA):
    /// basicConstraints CA:true and keyUsage keyCertSign+cRLSign, both
    /// critical, subject O=meshc CN=<td> root, a subjectKeyIdentifier.
    /// The key is written first, mode 0600, each file atomically.
    public static func initialize(directory: String, trustDomain: TrustDomain = .default,
                                  validity: Duration = defaultRootValidity, now: Date = Date()) throws -> MeshCA {
        guard validity >= .seconds(24 * 3600) else {
            throw IdentityError.caFile(directory, "a root valid for \(CertificateTTL.format(validity)) would expire before its workload certificates; give at least a day")
        }
        try prepare(directory)
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            OrganizationName("meshc")
            CommonName("\(trustDomain.name) root")
        }
        let root = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-CertificateTTL.clockSkew.seconds),
            notValidAfter: now.addingTimeInterval(validity.seconds),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            },
            issuerPrivateKey: key
        )
        try CAFiles.writeAtomically(try PEM.text(key), to: CAFiles.path(directory, CAFiles.key), mode: 0o600)
        try CAFiles.writeAtomically(try PEM.text([root]), to: CAFiles.path(directory, CAFiles.certificate), mode: 0o644)
        return try MeshCA(directory: directory)
    }

    /// Takes an operator's existing CA into `directory`: `cert` (a CA
    /// certificate), `key` (its key; refused if group or others can read it)
    /// and, unless `cert` is itself a root, `chain` (the intermediates above
    /// it and the root, in order; `cert` may lead it, as in Istio's
    /// cert-chain.pem). Checks that the key is the certificate's, that each
    /// certificate is a CA and each link verifies, then writes Istio's
    /// plug-in layout (ca-cert, ca-key 0600, cert-chain, root-cert).
    public static func importIntermediate(directory: String, cert: String, key: String, chain: String? = nil) throws -> MeshCA {
        let certificate = try PEM.certificate(try CAFiles.read(cert), source: cert)
        let privateKey = try PEM.privateKey(try CAFiles.readKey(key), source: key)
        var above = try chain.map { try PEM.certificates(try CAFiles.read($0), source: $0) } ?? []
        if above.first == certificate { above.removeFirst() }
        let selfSigned = certificate.issuer == certificate.subject
        if above.isEmpty && !selfSigned {
            throw IdentityError.caFile(cert, "it is not a self-signed root and no chain was given; give --chain with the intermediates above it and the root")
        }
        let root = above.last ?? certificate
        let ca = try MeshCA(certificate: certificate, key: privateKey, intermediates: Array(above.dropLast()), root: root,
                            paths: (cert, key, chain ?? cert))
        try prepare(directory)
        try CAFiles.writeAtomically(try PEM.text(privateKey), to: CAFiles.path(directory, CAFiles.key), mode: 0o600)
        if ca.isIntermediate {
            try CAFiles.writeAtomically(try PEM.text([root]), to: CAFiles.path(directory, CAFiles.root), mode: 0o644)
            try CAFiles.writeAtomically(try PEM.text([certificate] + ca.intermediates + [root]), to: CAFiles.path(directory, CAFiles.chain), mode: 0o644)
        }
        // Last: a folder with ca-cert.pem is a CA, so it must be complete by then.
        try CAFiles.writeAtomically(try PEM.text([certificate]), to: CAFiles.path(directory, CAFiles.certificate), mode: 0o644)
        return try MeshCA(directory: directory)
    }

    /// Makes `directory` private (0700), refusing one that already holds a CA.
    private static func prepare(_ directory: String) throws {
        if CAFiles.exists(CAFiles.path(directory, CAFiles.certificate)) || CAFiles.exists(CAFiles.path(directory, CAFiles.key)) {
            throw IdentityError.caExists(directory)
        }
        try CAFiles.makePrivateDirectory(directory)
    }
}
