import SwiftASN1
import X509

/// PEM text of certificates and keys, one way for the whole module.
enum PEM {
    /// Every certificate in `text`, in order; throws `IdentityError.caFile` naming `source`.
    static func certificates(_ text: String, source: String) throws -> [Certificate] {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw IdentityError.caFile(source, "it holds no readable PEM (\(error)); give PEM `CERTIFICATE` blocks")
        }
        if documents.isEmpty { throw IdentityError.caFile(source, "it holds no certificate; give PEM `CERTIFICATE` blocks") }
        return try documents.map { document in
            guard document.discriminator == Certificate.defaultPEMDiscriminator else {
                throw IdentityError.caFile(source, "it holds a `\(document.discriminator)` block where a `CERTIFICATE` belongs")
            }
            do {
                return try Certificate(pemDocument: document)
            } catch {
                throw IdentityError.caFile(source, "a certificate in it cannot be decoded (\(error))")
            }
        }
    }

    /// The one certificate in `text`; throws unless there is exactly one.
    static func certificate(_ text: String, source: String) throws -> Certificate {
        let all = try certificates(text, source: source)
        guard all.count == 1 else { throw IdentityError.caFile(source, "it holds \(all.count) certificates; give exactly one") }
        return all[0]
    }

    /// A private key (PKCS#8 or SEC1 PEM); throws `IdentityError.caFile` naming `source`.
    static func privateKey(_ text: String, source: String) throws -> Certificate.PrivateKey {
        do {
            return try Certificate.PrivateKey(pemEncoded: text)
        } catch {
            throw IdentityError.caFile(source, "it holds no readable private key (\(error)); give a PEM `PRIVATE KEY` or `EC PRIVATE KEY`")
        }
    }

    /// `certificates` as concatenated PEM blocks, each ending with a newline.
    static func text(_ certificates: [Certificate]) throws -> String {
        try certificates.map { try $0.serializeAsPEM().pemString + "\n" }.joined()
    }

    /// `key` as a PEM block ending with a newline.
    static func text(_ key: Certificate.PrivateKey) throws -> String {
        try key.serializeAsPEM().pemString + "\n"
    }
}
