import Foundation
import MeshDiagnostics
import MeshSnapshot
import SwiftASN1
import X509

/// IST0161 InvalidGatewayCredential, the part only the agent can check:
/// a gateway credential's files live on its host (the snapshot's `secret`
/// resources name them, `GatewaySecret`), so before an apply the agent reads
/// each one and refuses the snapshot (422 `invalid`, nothing written) when
///
/// - the certificate chain is missing, unreadable, not PEM, holds no
///   `CERTIFICATE` or one that does not decode, or its leaf (the first) has
///   expired or is not valid yet;
/// - the private key is missing, unreadable, not a PEM private key (PKCS#8,
///   RSA or EC; not encrypted), or not the leaf's key;
/// - the client CA (MUTUAL) is missing, unreadable, holds no certificate,
///   one that does not decode, or none valid now.
///
/// A leaf or client CA that ends within `warningWindow` is applied with a
/// warning. Pure over the snapshot, a file reader and the time: the agent
/// passes `CredentialFile.read` and `Date()`, and runs it after `SnapshotPolicy`, so only
/// files under its allowed roots are ever read.
package enum GatewayCredentialCheck {
    /// How far ahead an ending certificate is warned about: seven days.
    package static let warningWindow: TimeInterval = 7 * 24 * 3600

    /// One problem with one file of one gateway credential.
    package struct Finding: Sendable, Equatable, CustomStringConvertible {
        /// The snapshot secret: `<namespace>/<credentialName>`, or `…-cacert` for a client CA.
        package var secret: String
        /// The file the problem is in.
        package var file: String
        /// What is wrong with the file and what to do, e.g. "certificate F expired on …; renew it on this host, then push again".
        package var problem: String

        package var description: String { "gateway credential \(secret): \(problem)" }
    }

    /// What a snapshot's credentials come to: refusals block the apply, warnings are logged.
    package struct Result: Sendable, Equatable {
        package var refusals: [Finding] = []
        package var warnings: [Finding] = []
    }

    /// Checks every gateway secret of `snapshot` at `now`, reading its files with `read`.
    package static func check(_ snapshot: ProxySnapshot, now: Date, read: (String) throws -> Data = CredentialFile.read) -> Result {
        var result = Result()
        for resource in snapshot[.secret] {
            guard let secret = try? resource.json() else { continue }
            let found = withoutActuallyEscaping(read) { read in
                var files = CredentialFiles(secret: resource.name, now: now, read: read)
                if let chain = secret["tls_certificate"]?["certificate_chain"]?["filename"]?.text {
                    files.checkCertificate(chain: chain, key: secret["tls_certificate"]?["private_key"]?["filename"]?.text)
                }
                if let ca = secret["validation_context"]?["trusted_ca"]?["filename"]?.text { files.checkClientCA(ca) }
                return files.result
            }
            result.refusals += found.refusals
            result.warnings += found.warnings
        }
        return result
    }

    /// The 422 reason for `refusals` (the first `limit`, then how many more).
    package static func reason(_ refusals: [Finding], limit: Int = 5) -> String {
        var text = refusals.prefix(limit).map(\.description).joined(separator: "; ")
        if refusals.count > limit { text += "; and \(refusals.count - limit) more" }
        return text
    }

    /// `date` as the messages show it: `2026-01-02T00:00:00Z`.
    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

/// The checks of one secret's files, collecting findings.
private struct CredentialFiles {
    let secret: String
    let now: Date
    let read: (String) throws -> Data
    var result = GatewayCredentialCheck.Result()

    /// The chain's leaf (validity) and the key (readable, the leaf's).
    mutating func checkCertificate(chain: String, key: String?) {
        let leaf = certificates(chain, role: "certificate chain", fix: "meshc.dev/certificate-files")?.first
        if let leaf {
            switch Validity(leaf, now: now) {
            case .valid: break
            case .expired(let end):
                refuse(chain, "certificate \(chain) expired on \(GatewayCredentialCheck.format(end)); renew it on this host, then push again")
            case .notYetValid(let start):
                refuse(chain, "certificate \(chain) is not valid before \(GatewayCredentialCheck.format(start)); "
                    + "install one valid now (or check this host's clock), then push again")
            case .ending(let end):
                warn(chain, "certificate \(chain) expires on \(GatewayCredentialCheck.format(end)); renew it on this host soon")
            }
        }
        guard let key, let privateKey = privateKey(key) else { return }
        if let leaf, privateKey.publicKey != leaf.publicKey {
            refuse(key, "private key \(key) is not the key of certificate \(chain); install the key the certificate was issued for "
                + "(or the certificate for this key), then push again")
        }
    }

    /// The client CA: readable certificates, at least one valid now.
    mutating func checkClientCA(_ file: String) {
        guard let all = certificates(file, role: "client CA", fix: "meshc.dev/ca-certificate-file") else { return }
        let validities = all.map { Validity($0, now: now) }
        let ends = zip(all, validities).filter { $0.1.isUsable }.map(\.0.notValidAfter)
        guard let last = ends.max() else {
            if all.count > 1 {
                refuse(file, "none of the \(all.count) certificates in client CA \(file) is valid now (each has expired or is not valid yet); "
                    + "renew it on this host, then push again")
            } else if case .notYetValid(let start) = validities[0] {
                refuse(file, "client CA \(file) is not valid before \(GatewayCredentialCheck.format(start)); "
                    + "install one valid now (or check this host's clock), then push again")
            } else {
                refuse(file, "client CA \(file) expired on \(GatewayCredentialCheck.format(all[0].notValidAfter)); renew it on this host, then push again")
            }
            return
        }
        if last < now.addingTimeInterval(GatewayCredentialCheck.warningWindow) {
            warn(file, "client CA \(file) expires on \(GatewayCredentialCheck.format(last)); renew it on this host soon")
        }
    }

    /// The certificates in `file`, or nil after refusing (nothing readable, no certificate, one that does not decode).
    private mutating func certificates(_ file: String, role: String, fix annotation: String) -> [Certificate]? {
        guard let blocks = blocks(file, role: role, fix: annotation) else { return nil }
        let certificates = blocks.filter { $0.label == Certificate.defaultPEMDiscriminator }
        guard !certificates.isEmpty else {
            refuse(file, "\(role) \(file) holds no PEM CERTIFICATE block; put the \(role) there as PEM, then push again")
            return nil
        }
        var decoded: [Certificate] = []
        for (index, block) in certificates.enumerated() {
            do { decoded.append(try Certificate(derEncoded: block.der)) } catch {
                refuse(file, "certificate \(index + 1) of \(certificates.count) in \(role) \(file) cannot be decoded (\(error)); "
                    + "replace it with a valid PEM certificate, then push again")
                return nil
            }
        }
        return decoded
    }

    /// The private key in `file`, or nil after refusing.
    private mutating func privateKey(_ file: String) -> Certificate.PrivateKey? {
        guard let blocks = blocks(file, role: "private key", fix: "meshc.dev/certificate-files") else { return nil }
        let kinds: Set<String> = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]
        if blocks.contains(where: { $0.label == "ENCRYPTED PRIVATE KEY" || (kinds.contains($0.label) && $0.hasHeaders) }) {
            refuse(file, "private key \(file) is encrypted and Envoy cannot read it; store it unencrypted (e.g. "
                + "`openssl pkey -in \(file) -out \(file)`, readable only to the gateway), then push again")
            return nil
        }
        guard let block = blocks.first(where: { kinds.contains($0.label) }) else {
            refuse(file, "private key \(file) holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY); "
                + "put the certificate's key there as PEM, then push again")
            return nil
        }
        do { return try Certificate.PrivateKey(pemDocument: PEMDocument(type: block.label, derBytes: block.der)) } catch {
            refuse(file, "private key \(file) cannot be decoded (\(error)); put the certificate's key there as PEM "
                + "(RSA of 2048 bits or more, or ECDSA P-256/P-384), then push again")
            return nil
        }
    }

    /// The PEM blocks of `file`, or nil after refusing (unreadable, no PEM, a broken block).
    private mutating func blocks(_ file: String, role: String, fix annotation: String) -> [PEMBlock]? {
        let data: Data
        do { data = try read(file) } catch {
            refuse(file, "\(role) \(file) cannot be read (\(error)); put it on this host where the agent can read it "
                + "(or correct \(annotation)), then push again")
            return nil
        }
        do {
            let blocks = try PEMBlock.all(in: data)
            guard !blocks.isEmpty else {
                refuse(file, "\(role) \(file) is not PEM (no -----BEGIN line); write it as PEM, then push again")
                return nil
            }
            return blocks
        } catch {
            refuse(file, "\(role) \(file) is not valid PEM (\(error)); write it as PEM, then push again")
            return nil
        }
    }

    private mutating func refuse(_ file: String, _ problem: String) {
        result.refusals.append(.init(secret: secret, file: file, problem: problem))
    }

    private mutating func warn(_ file: String, _ problem: String) {
        result.warnings.append(.init(secret: secret, file: file, problem: problem))
    }
}

/// Where a certificate stands at a time.
private enum Validity {
    case valid, ending(Date), expired(Date), notYetValid(Date)

    init(_ certificate: Certificate, now: Date) {
        if certificate.notValidAfter < now {
            self = .expired(certificate.notValidAfter)
        } else if certificate.notValidBefore > now {
            self = .notYetValid(certificate.notValidBefore)
        } else if certificate.notValidAfter < now.addingTimeInterval(GatewayCredentialCheck.warningWindow) {
            self = .ending(certificate.notValidAfter)
        } else {
            self = .valid
        }
    }

    /// Valid now, ending soon or not.
    var isUsable: Bool {
        switch self {
        case .valid, .ending: return true
        case .expired, .notYetValid: return false
        }
    }
}
