import Crypto
import Foundation
import X509

/// A workload certificate the CA issued, with what the workload needs beside it.
public struct IssuedCertificate: Sendable {
    /// The identity the certificate carries as its only URI SAN.
    public let identity: SPIFFEID
    /// The leaf certificate.
    public let certificate: Certificate
    /// The leaf, PEM.
    public let certificatePEM: String
    /// The certificates between the leaf and the root, PEM (the CA's certificate and
    /// intermediates when the CA is an intermediate; empty when it is the root).
    public let chainPEM: String
    /// The trust anchor, PEM (the trust bundle).
    public let rootPEM: String
    /// The serial number, lowercase hex.
    public let serial: String
    /// When the certificate stops being valid.
    public let expiry: Date

    /// The leaf followed by its chain: what a proxy serves (Envoy's `certificate_chain`).
    public var fullChainPEM: String { certificatePEM + chainPEM }
}

extension MeshCA {
    /// Signs a workload's PKCS#10 request as istiod does: the CSR must be a
    /// PEM `CERTIFICATE REQUEST` whose signature verifies, with an ECDSA
    /// P-256 or P-384 key, asking for exactly one URI SAN, `expectedIdentity`
    /// (the identity the repository gives the caller; anything else is
    /// refused naming both). The leaf has that SAN only (critical, the
    /// subject is empty), keyUsage digitalSignature+keyEncipherment
    /// (critical), extKeyUsage serverAuth+clientAuth, CA:false, the CA's key
    /// identifier, a random 128-bit serial, and is valid from
    /// `now - 5 min` (clock skew) to `now + ttl`, cut at the CA's own expiry.
    public func sign(csrPEM: String, expectedIdentity: SPIFFEID, ttl: Duration = CertificateTTL.default,
                     now: Date = Date()) throws -> IssuedCertificate {
        try CertificateTTL.check(ttl)
        // X.509 times are whole seconds: cut here so that `expiry` is the certificate's.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(pemEncoded: csrPEM)
        } catch {
            throw IdentityError.invalidCSR("it cannot be decoded (\(error))")
        }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else { throw IdentityError.csrSignatureInvalid }
        guard P256.Signing.PublicKey(csr.publicKey) != nil || P384.Signing.PublicKey(csr.publicKey) != nil else {
            throw IdentityError.unsupportedKey(csr.publicKey.description)
        }
        let requested = try Self.requestedURIs(csr)
        guard requested == [expectedIdentity.uri] else {
            throw IdentityError.identityMismatch(requested: requested, expected: expectedIdentity)
        }
        let notAfter = min(now.addingTimeInterval(ttl.seconds), caExpiry)
        guard notAfter > now else {
            throw IdentityError.caFile(CAFiles.certificate, "the CA expired at \(caExpiry); renew or replace the CA (`meshc ca init` in a new folder)")
        }
        var random = SystemRandomNumberGenerator()
        let serialBytes = (0..<2).flatMap { _ in withUnsafeBytes(of: random.next() as UInt64) { Array($0) } }
        let serial = Certificate.SerialNumber(bytes: serialBytes)
        let leaf = try Certificate(
            version: .v3,
            serialNumber: serial,
            publicKey: csr.publicKey,
            notValidBefore: max(now.addingTimeInterval(-CertificateTTL.clockSkew.seconds), certificate.notValidBefore),
            notValidAfter: notAfter,
            issuer: certificate.subject,
            subject: DistinguishedName(),
            signatureAlgorithm: signatureAlgorithm,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                Critical(BasicConstraints.notCertificateAuthority)
                AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
                // RFC 5280 4.2.1.6: with an empty subject the SAN is critical.
                Critical(SubjectAlternativeNames([.uniformResourceIdentifier(expectedIdentity.uri)]))
            },
            issuerPrivateKey: key
        )
        return IssuedCertificate(
            identity: expectedIdentity, certificate: leaf, certificatePEM: try PEM.text([leaf]),
            chainPEM: chainPEM, rootPEM: rootPEM,
            serial: Self.hex(serial.bytes.drop { $0 == 0 }), expiry: leaf.notValidAfter)
    }

    /// `bytes` as lowercase hex.
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The earliest expiry among the CA's certificate, its intermediates and the root.
    var caExpiry: Date {
        ([certificate, root] + intermediates).map(\.notValidAfter).min()!
    }

    /// The URI SANs a CSR asks for, in its order; refuses other kinds of SAN.
    static func requestedURIs(_ csr: CertificateSigningRequest) throws -> [String] {
        let names: SubjectAlternativeNames?
        do {
            names = try csr.attributes.extensionRequest?.extensions.subjectAlternativeNames
        } catch {
            throw IdentityError.invalidCSR("its extension request cannot be decoded (\(error))")
        }
        var uris: [String] = []
        for name in names ?? SubjectAlternativeNames() {
            guard case .uniformResourceIdentifier(let uri) = name else {
                throw IdentityError.invalidCSR("it asks for the SAN \(name); the mesh CA issues one SPIFFE URI SAN and nothing else")
            }
            uris.append(uri)
        }
        return uris
    }
}
