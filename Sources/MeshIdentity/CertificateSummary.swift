import Crypto
import Foundation
import SwiftASN1
import X509

/// What may be said about a workload certificate without its key: the
/// serial, validity and URI SAN of the leaf, and the SHA-256 of a trust
/// anchor. Agents report it in `/v1/state`; the reconciler decides on it.
public struct CertificateSummary: Sendable, Equatable {
    /// The serial number, lowercase hex (leading zero bytes dropped, as `IssuedCertificate.serial`).
    public let serial: String
    /// The start of validity (the CA backdates it by `CertificateTTL.clockSkew`).
    public let notBefore: Date
    /// The end of validity.
    public let expiry: Date
    /// The leaf's first URI SAN (the SPIFFE ID), nil when it has none.
    public let identity: String?

    /// The summary of the first certificate in `pem` (the leaf of a chain).
    public init(pem: String) throws {
        guard let leaf = try PEM.certificates(pem, source: "the certificate").first else {
            throw IdentityError.caFile("the certificate", "it holds no certificate")
        }
        self.init(leaf)
    }

    init(_ leaf: Certificate) {
        serial = MeshCA.hex(leaf.serialNumber.bytes.drop { $0 == 0 })
        notBefore = leaf.notValidBefore
        expiry = leaf.notValidAfter
        let names = (try? leaf.extensions.subjectAlternativeNames) ?? nil
        identity = names?.lazy.compactMap { name -> String? in
            if case .uniformResourceIdentifier(let uri) = name { return uri }
            return nil
        }.first
    }

    /// The lowercase hex SHA-256 of the DER of the first certificate in `pem`
    /// (which root a certificate chains to, compared without parsing chains twice).
    public static func fingerprint(pem: String) throws -> String {
        guard let certificate = try PEM.certificates(pem, source: "the root").first else {
            throw IdentityError.caFile("the root", "it holds no certificate")
        }
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return MeshCA.hex(Array(SHA256.hash(data: serializer.serializedBytes)))
    }
}

extension MeshCA {
    /// The SHA-256 fingerprint of the trust anchor (`CertificateSummary.fingerprint`).
    public var rootFingerprint: String {
        (try? CertificateSummary.fingerprint(pem: rootPEM)) ?? ""
    }

    /// The trust domain a root made by `initialize` names (`CN=<td> root`), else nil.
    public var trustDomain: TrustDomain? {
        for attribute in root.subject.flatMap({ $0 }) where attribute.type == .RDNAttributeType.commonName {
            let text = String(describing: attribute.value)
            guard text.hasSuffix(" root") else { continue }
            return try? TrustDomain(String(text.dropLast(5)))
        }
        return nil
    }
}
