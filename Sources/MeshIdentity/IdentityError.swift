/// Why an identity could not be parsed, a CA loaded or made, or a CSR signed.
/// Every message says what is wrong and what to do about it.
public enum IdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A trust domain name that breaks the SPIFFE rules: the name and the problem.
    case invalidTrustDomain(String, String)
    /// A SPIFFE ID that breaks the SPIFFE rules: the text and the problem.
    case invalidSPIFFEID(String, String)
    /// A CA file that is missing, unreadable or not what it should hold: the path and the problem.
    case caFile(String, String)
    /// A private key file group or others can read: the path and its mode.
    case keyFileReadable(String, UInt16)
    /// `ca init` on a folder that already holds a CA.
    case caExists(String)
    /// A certificate offered as a CA that cannot sign certificates: the path and why.
    case notACertificateAuthority(String, String)
    /// A CA key that does not belong to the CA certificate: the key's and the certificate's paths.
    case keyDoesNotMatchCertificate(key: String, certificate: String)
    /// A CSR that cannot be decoded or lacks what issuance needs: the problem.
    case invalidCSR(String)
    /// A CSR whose signature does not verify with the public key it carries.
    case csrSignatureInvalid
    /// A CSR asking for other identities than the one the repository gives the caller.
    case identityMismatch(requested: [String], expected: SPIFFEID)
    /// A public key issuance does not accept: its description.
    case unsupportedKey(String)
    /// A TTL outside the allowed range.
    case ttlOutOfRange(Duration)
    /// A certificate that does not verify against the mesh root: the reasons.
    case notVerified([String])

    public var description: String {
        switch self {
        case .invalidTrustDomain(let name, let problem):
            return "trust domain `\(name)` is invalid: \(problem); use a lowercase DNS-like name such as `cluster.local`"
        case .invalidSPIFFEID(let text, let problem):
            return "SPIFFE ID `\(text)` is invalid: \(problem); write it as spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>"
        case .caFile(let path, let problem):
            return "CA file \(path): \(problem)"
        case .keyFileReadable(let path, let mode):
            return "CA key \(path) has mode \(String(mode, radix: 8)): group or others can read it; run `chmod 600 \(path)` (and check who read it)"
        case .caExists(let directory):
            return "\(directory) already holds a CA (ca-cert.pem or ca-key.pem); use it as is, or choose an empty folder for a new one"
        case .notACertificateAuthority(let path, let reason):
            return "\(path) is no CA certificate: \(reason); give the certificate of a CA allowed to sign certificates"
        case .keyDoesNotMatchCertificate(let key, let certificate):
            return "the key \(key) does not belong to the certificate \(certificate); give the key the CA certificate was issued for"
        case .invalidCSR(let problem):
            return "the certificate signing request is invalid: \(problem); send a PEM PKCS#10 request (`CERTIFICATE REQUEST`) with the identity as its only URI SAN"
        case .csrSignatureInvalid:
            return "the certificate signing request's signature does not verify with its public key; the request was altered or signed with another key — make it again"
        case .identityMismatch(let requested, let expected):
            let asked = requested.isEmpty ? "no URI SAN" : requested.joined(separator: ", ")
            return "the certificate signing request asks for \(asked) but the repository gives this proxy \(expected); request exactly \(expected)"
        case .unsupportedKey(let key):
            return "the certificate signing request carries a \(key) key; workload keys must be ECDSA P-256 or P-384"
        case .ttlOutOfRange(let ttl):
            return "certificate TTL \(CertificateTTL.format(ttl)) is out of range; choose between \(CertificateTTL.format(CertificateTTL.minimum)) and \(CertificateTTL.format(CertificateTTL.maximum))"
        case .notVerified(let reasons):
            return "the certificate does not verify against the mesh root: \(reasons.joined(separator: "; ")); issue it again from this CA"
        }
    }
}
