import Crypto
import Foundation
import MeshIdentity
import SwiftASN1
import X509

/// A fresh folder under the system's temporary folder; `remove()` when done.
struct TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "meshc-identity-" + UUID().uuidString
    }

    /// `path/name`.
    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `path/name` with `mode`, making the folder if needed.
    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o644) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try text.write(toFile: file(name), atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file(name))
        return file(name)
    }

    /// The permission bits of `path/name` (or of the folder itself for "").
    func mode(_ name: String) throws -> Int {
        let target = name.isEmpty ? path : file(name)
        return (try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as! NSNumber).intValue
    }
}

/// An operator's CA made in the test: a key and its certificate.
struct OperatorCA {
    let key: Certificate.PrivateKey
    let certificate: Certificate

    /// A self-signed root (CA:true unless `isCA` is false).
    static func root(_ name: String, isCA: Bool = true) throws -> OperatorCA {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName { CommonName(name) }
        return OperatorCA(key: key, certificate: try make(subject: subject, key: key.publicKey, issuer: subject, issuerKey: key, isCA: isCA))
    }

    /// A CA (or, with `isCA` false, a leaf) signed by this one.
    func issue(_ name: String, isCA: Bool = true) throws -> OperatorCA {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName { CommonName(name) }
        return OperatorCA(key: key, certificate: try Self.make(subject: subject, key: key.publicKey, issuer: certificate.subject, issuerKey: self.key, isCA: isCA))
    }

    var certificatePEM: String { get throws { try certificate.serializeAsPEM().pemString + "\n" } }
    var keyPEM: String { get throws { try key.serializeAsPEM().pemString + "\n" } }

    private static func make(subject: DistinguishedName, key: Certificate.PublicKey, issuer: DistinguishedName,
                             issuerKey: Certificate.PrivateKey, isCA: Bool) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key,
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(365 * 86400),
            issuer: issuer, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : .notCertificateAuthority)
                Critical(isCA ? KeyUsage(keyCertSign: true, cRLSign: true) : KeyUsage(digitalSignature: true))
                SubjectKeyIdentifier(hash: key)
            },
            issuerPrivateKey: issuerKey)
    }
}

/// A CSR for `uris` (any number, even none) signed with `key`.
func csr(uris: [String], key: Certificate.PrivateKey = Certificate.PrivateKey(P256.Signing.PrivateKey())) throws -> CertificateSigningRequest {
    let extensions = try Certificate.Extensions { SubjectAlternativeNames(uris.map { .uniformResourceIdentifier($0) }) }
    return try CertificateSigningRequest(
        version: .v1, subject: DistinguishedName(), privateKey: key,
        attributes: CertificateSigningRequest.Attributes([.init(ExtensionRequest(extensions: extensions))]))
}

extension CertificateSigningRequest {
    var pem: String { get throws { try serializeAsPEM().pemString + "\n" } }
}

/// `date` cut to whole seconds (X.509 times have no fractions).
func wholeSeconds(_ date: Date = Date()) -> Date {
    Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
}
