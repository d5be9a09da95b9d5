import Foundation
import Logging
import MeshIdentity
import MeshSnapshot

/// The proxy's workload identity on the agent's side. The key is made here
/// and never leaves the host; the reconciler asks for a CSR naming the
/// identity the repository gives the proxy, signs it with the mesh CA and
/// installs the certificate (see `CSRProof` for how the agent proves the
/// CSR is its own). Files, in the state folder's `certs/`:
///
///     key.pem                 the P-256 key (0600, the agent's user alone)
///     cert-chain.pem          leaf and chain (PEM), root-cert.pem the trust anchor
///     ROOTCA.json, default.json   Envoy's SDS files (`SecretSource`), Envoy's group
///                             may read them (0640); default.json holds the key inline
///
/// Each file is written atomically (Envoy reloads SDS files in place,
/// keeping its connections), ROOTCA before default, the key first: a crash
/// midway leaves a key that does not match the chain, which reads as "no
/// certificate" and is issued again.
package actor AgentIdentity {
    /// What `POST /v1/csr` answers.
    package struct CSRAnswer: Codable, Sendable, Equatable {
        /// The PEM PKCS#10 request.
        package var csr: String
        /// `enrollment`, `renewal` or null (no proof: the CA will refuse it).
        package var proof: String?
        /// Enrollment: hex HMAC-SHA256 of `csr` keyed with the enrollment token.
        package var mac: String?
        /// Renewal: the current certificate chain (PEM).
        package var chain: String?
        /// Renewal: base64 DER ECDSA signature with the current key.
        package var signature: String?

        /// The proof as a value, nil when none or malformed.
        package var csrProof: CSRProof? {
            switch proof {
            case "enrollment": return mac.map { .enrollment(mac: $0) }
            case "renewal": return chain.flatMap { chain in signature.map { .renewal(chainPEM: chain, signature: $0) } }
            default: return nil
            }
        }

        /// The answer carrying `csr` and `proof`.
        package init(csr: String, proof: CSRProof?) {
            self.csr = csr
            switch proof {
            case .enrollment(let mac)?: self.proof = "enrollment"; self.mac = mac
            case .renewal(let chain, let signature)?: self.proof = "renewal"; self.chain = chain; self.signature = signature
            case nil: break
            }
        }
    }

    /// A request the agent refuses; `status` is the HTTP status to answer.
    package struct Refusal: Error, CustomStringConvertible, Sendable {
        package var status: Int
        package var description: String
    }

    /// File names under the state folder.
    package static let keyFile = "certs/key.pem", chainFile = "certs/cert-chain.pem", rootFile = "certs/root-cert.pem"

    private struct Held {
        var key: WorkloadKey
        var chainPEM: String
        var rootPEM: String
        var summary: AgentState.Certificate
    }

    private let layout: DeliveryLayout
    private let group: gid_t?
    private let enrollmentToken: String?
    private let logger: Logger
    private var held: Held?
    private var pending: (key: WorkloadKey, identity: SPIFFEID)?

    /// The identity kept in `stateDirectory/certs`; `group` is Envoy's (root
    /// agents); `enrollmentToken` proves the first CSR (`--enroll-token-file`).
    package init(stateDirectory: String, group: gid_t?, enrollmentToken: String?, logger: Logger) {
        self.layout = DeliveryLayout(folder: URL(fileURLWithPath: stateDirectory).standardizedFileURL.path)
        self.group = group
        self.enrollmentToken = enrollmentToken
        self.logger = logger
        self.held = Self.load(layout, logger: logger)
    }

    /// The certificate held, for `/v1/state` (never the key).
    package func certificate() -> AgentState.Certificate? { held?.summary }

    /// The trust domain of the identity held (whose reconciler may call), nil before the first certificate.
    package func trustDomain() -> TrustDomain? {
        held?.summary.identity.flatMap { try? SPIFFEID(parsing: $0) }?.trustDomain
    }

    /// Whether the agent takes part in mesh identity: it was given an enrollment token or holds a certificate.
    package nonisolated var enrolled: Bool { enrollmentToken != nil }

    /// The certificate chain and key PEM held (for the agent's own TLS), nil before the first.
    package func credentials() -> (chainPEM: String, keyPEM: String, rootPEM: String)? {
        held.map { ($0.chainPEM, $0.key.pem, $0.rootPEM) }
    }

    /// A CSR for `identityText` with a fresh key (kept in memory until its
    /// certificate is installed), proved by the current certificate when it
    /// names that identity, else by the enrollment token, else by the current certificate.
    package func request(identity identityText: String) throws -> CSRAnswer {
        let identity: SPIFFEID
        do { identity = try SPIFFEID(parsing: identityText) } catch {
            throw Refusal(status: 400, description: "\(error)")
        }
        let key = WorkloadKey.generate()
        let csr = try makeCSR(key: key, identity: identity)
        var proof: CSRProof?
        if let held, held.summary.identity == identity.uri {
            proof = try CSRProof.renewal(key: held.key, chainPEM: held.chainPEM, csrPEM: csr)
        } else if let enrollmentToken {
            proof = CSRProof.enrollment(token: enrollmentToken, csrPEM: csr)
        } else if let held {
            proof = try CSRProof.renewal(key: held.key, chainPEM: held.chainPEM, csrPEM: csr)
        }
        pending = (key, identity)
        logger.info("certificate request for \(identity.uri) (proof: \(proof.map { if case .enrollment = $0 { "enrollment token" } else { "current certificate" } } ?? "none"))")
        return CSRAnswer(csr: csr, proof: proof)
    }

    /// Installs the certificate of the last request: checks it is for that
    /// key and identity and chains to `rootPEM`, then writes the files. Over
    /// plain HTTP (`requireMAC`: an enrolling agent, no bearer token) the
    /// reconciler must also prove it knows the enrollment token (`CSRProof.installMAC`).
    package func install(chainPEM: String, rootPEM: String, enrollmentMAC: String? = nil, requireMAC: Bool = false) async throws -> AgentState.Certificate {
        if requireMAC {
            guard let enrollmentToken, let enrollmentMAC,
                  BearerToken.same(Array(CSRProof.installMAC(token: enrollmentToken, chainPEM: chainPEM, rootPEM: rootPEM).utf8), Array(enrollmentMAC.utf8)) else {
                throw Refusal(status: 401, description: "an enrolling agent installs a certificate only with x-meshc-enrollment-mac: HMAC of the chain and root keyed with its enrollment token")
            }
        }
        guard let pending else {
            throw Refusal(status: 409, description: "no certificate request is pending; POST /v1/csr first")
        }
        do {
            try await IssuedChain.verify(fullChainPEM: chainPEM, rootPEM: rootPEM, key: pending.key, identity: pending.identity)
        } catch {
            throw Refusal(status: 422, description: "\(error)")
        }
        let summary = try Self.summary(chainPEM: chainPEM, rootPEM: rootPEM)
        let keyPEM = pending.key.pem
        let secretMode: mode_t = group == nil ? 0o600 : 0o640
        try AtomicFile.write(keyPEM, to: layout.path(Self.keyFile), mode: 0o600)
        try AtomicFile.write(chainPEM, to: layout.path(Self.chainFile), mode: 0o644)
        try AtomicFile.write(rootPEM, to: layout.path(Self.rootFile), mode: 0o644)
        try AtomicFile.write(SecretSource.rootFile(rootPEM: rootPEM, version: summary.root),
                             to: layout.path(SecretSource.file(SecretSource.root)), group: group, mode: group == nil ? 0o644 : 0o640)
        try AtomicFile.write(SecretSource.certificateFile(chainPEM: chainPEM, keyPEM: keyPEM, version: summary.serial),
                             to: layout.path(SecretSource.file(SecretSource.certificate)), group: group, mode: secretMode)
        held = Held(key: pending.key, chainPEM: chainPEM, rootPEM: rootPEM, summary: summary)
        self.pending = nil
        logger.info("installed certificate \(summary.serial) for \(summary.identity ?? "?"), expires \(summary.expiry)")
        return summary
    }

    static func summary(chainPEM: String, rootPEM: String) throws -> AgentState.Certificate {
        let leaf = try CertificateSummary(pem: chainPEM)
        let iso = ISO8601DateFormatter()
        return AgentState.Certificate(serial: leaf.serial, notBefore: iso.string(from: leaf.notBefore), expiry: iso.string(from: leaf.expiry),
                                      identity: leaf.identity, root: try CertificateSummary.fingerprint(pem: rootPEM))
    }

    /// The identity in `layout`'s `certs/`, nil when missing, unreadable or mismatched.
    private static func load(_ layout: DeliveryLayout, logger: Logger) -> Held? {
        let read = { (name: String) in try? String(contentsOfFile: layout.path(name), encoding: .utf8) }
        guard let keyPEM = read(keyFile), let chainPEM = read(chainFile), let rootPEM = read(rootFile) else { return nil }
        guard let key = try? WorkloadKey(pem: keyPEM), IssuedChain.matches(pem: chainPEM, key: key),
              let summary = try? summary(chainPEM: chainPEM, rootPEM: rootPEM) else {
            logger.warning("\(layout.path("certs")): the key and certificate do not match; the reconciler will issue a new one")
            return nil
        }
        return Held(key: key, chainPEM: chainPEM, rootPEM: rootPEM, summary: summary)
    }
}
