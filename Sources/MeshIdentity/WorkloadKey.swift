import Crypto
import X509

/// A workload's private key, made where the workload runs (the key never
/// leaves the proxy's host; only its CSR does).
public struct WorkloadKey: Sendable {
    /// The ECDSA P-256 key.
    public let privateKey: P256.Signing.PrivateKey

    /// Wraps an existing key.
    public init(_ privateKey: P256.Signing.PrivateKey) { self.privateKey = privateKey }

    /// A fresh ECDSA P-256 key.
    public static func generate() -> WorkloadKey { WorkloadKey(P256.Signing.PrivateKey()) }

    /// The key as PKCS#8 PEM (for the proxy's own key file, mode 0600).
    public var pem: String { privateKey.pemRepresentation + "\n" }
}

/// A PEM PKCS#10 request for `identity`, signed with `key`: an empty
/// subject and `identity` as its only (URI) SAN, as pilot-agent sends istiod.
public func makeCSR(key: WorkloadKey, identity: SPIFFEID) throws -> String {
    let extensions = try Certificate.Extensions {
        SubjectAlternativeNames([.uniformResourceIdentifier(identity.uri)])
    }
    let csr = try CertificateSigningRequest(
        version: .v1,
        subject: DistinguishedName(),
        privateKey: Certificate.PrivateKey(key.privateKey),
        attributes: CertificateSigningRequest.Attributes([.init(ExtensionRequest(extensions: extensions))]),
        signatureAlgorithm: .ecdsaWithSHA256
    )
    return try csr.serializeAsPEM().pemString + "\n"
}
