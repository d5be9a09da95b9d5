import Foundation
import MeshAgent
import MeshDiagnostics

/// The reconciler's memory of one proxy's workload certificate. No I/O.
package struct CertificateRecord: Sendable, Equatable {
    /// The SPIFFE ID the repository gave the proxy when it was last checked.
    package var identity: String?
    /// The certificate the agent holds, as last read or installed (nil: none, or not read yet).
    package var held: AgentState.Certificate?
    /// When the agent's certificate was last read or installed.
    package var checkedAt: Date?
    /// Why the last issuance failed (`certificate not issued: …`, `certificate not renewed: …`); nil after a success.
    package var error: String?
    /// Failed issuances in a row (backoff input).
    package var failures = 0
    /// No new attempt before this time.
    package var retryAt: Date?

    /// A record of a proxy not checked yet.
    package init() {}
}

/// Why a proxy needs a certificate now.
package enum CertificateNeed: Sendable, Equatable, CustomStringConvertible {
    /// The agent holds none.
    case missing
    /// It names another identity than the repository gives the proxy (nil: none at all).
    case otherIdentity(String?)
    /// It chains to another root than the CA's.
    case otherRoot
    /// It is past its expiry.
    case expired
    /// It is past half its lifetime (Istio's rotation point).
    case halfLife

    package var description: String {
        switch self {
        case .missing: return "no certificate yet"
        case .otherIdentity(let identity): return "the certificate names \(identity ?? "no identity")"
        case .otherRoot: return "the certificate chains to another root"
        case .expired: return "the certificate has expired"
        case .halfLife: return "the certificate is past half its lifetime"
        }
    }
}

/// The pure rules of issuance: when a certificate is due, and when to look again.
package enum CertificateRules {
    /// When `certificate` should be renewed: half way through its lifetime
    /// (`point` of it; tests shorten it).
    /// The CA backdates `notBefore` by up to `clockSkew` (5 min), so the
    /// lifetime counts from `notBefore + clockSkew` (never after the expiry):
    /// a 1-minute certificate is renewed about 30 s after issuance, not at once.
    package static func renewAt(_ certificate: AgentState.Certificate, point: Double = 0.5, clockSkew: TimeInterval = 300) -> Date {
        let expiry = certificate.expiryDate
        let issued = min(certificate.notBeforeDate.addingTimeInterval(clockSkew), expiry)
        return issued.addingTimeInterval(expiry.timeIntervalSince(issued) * point)
    }

    /// Why `held` must be replaced for `identity` under the CA root `root`
    /// (nil: the CA cannot be read, so roots are not compared), or nil when it is good.
    package static func need(_ held: AgentState.Certificate?, identity: String, root: String?, now: Date,
                             point: Double = 0.5) -> CertificateNeed? {
        guard let held else { return .missing }
        if held.identity != identity { return .otherIdentity(held.identity) }
        if let root, held.root != root { return .otherRoot }
        if held.expiryDate <= now { return .expired }
        if renewAt(held, point: point) <= now { return .halfLife }
        return nil
    }
}

extension ReconcileCore {
    /// Whether `name`'s agent should be asked for its certificate now: never
    /// asked, the identity changed, `recheck` seconds passed (an agent may
    /// have lost its folder), or renewal is due; not while backing off.
    package func certificateDue(_ name: String, identity: String, recheck: TimeInterval, now: Date, point: Double = 0.5) -> Bool {
        guard let record = records[name], record.agent != nil else { return false }
        let certificate = record.certificate
        if let retryAt = certificate.retryAt, retryAt > now { return false }
        guard let checked = certificate.checkedAt, certificate.identity == identity, certificate.error == nil,
              let held = certificate.held else { return true }
        return now.timeIntervalSince(checked) >= recheck || CertificateRules.renewAt(held, point: point) <= now
    }

    /// What `name`'s agent holds, read or just installed at `now`.
    package mutating func certificateSeen(_ name: String, identity: String, held: AgentState.Certificate?, now: Date) {
        guard records[name] != nil else { return }
        records[name]?.certificate.identity = identity
        records[name]?.certificate.held = held
        records[name]?.certificate.checkedAt = now
    }

    /// A certificate was installed: the failure count and message are cleared.
    package mutating func certificateIssued(_ name: String, identity: String, held: AgentState.Certificate, now: Date) {
        certificateSeen(name, identity: identity, held: held, now: now)
        records[name]?.certificate.error = nil
        records[name]?.certificate.failures = 0
        records[name]?.certificate.retryAt = nil
    }

    /// Issuance for `name` failed: `certificate not issued: reason` (no
    /// certificate held) or `certificate not renewed: reason` (the agent
    /// keeps the one it has); retried with the proxies' backoff.
    package mutating func certificateFailed(_ name: String, reason: String, now: Date) {
        guard var certificate = records[name]?.certificate else { return }
        certificate.failures += 1
        certificate.retryAt = now.addingTimeInterval(backoff.delay(afterFailures: certificate.failures))
        let verb = certificate.held == nil ? "issued" : "renewed"
        certificate.error = Bounded.text("certificate not \(verb): \(reason)", Bounded.reason)
        records[name]?.certificate = certificate
    }

    /// The earliest time a certificate needs a look after `now` (a retry,
    /// a recheck, a renewal), so the loop wakes for it; nil when none is known.
    package func nextCertificateCheck(after now: Date, recheck: TimeInterval, point: Double = 0.5) -> Date? {
        records.values.compactMap { record -> Date? in
            guard record.agent != nil else { return nil }
            let certificate = record.certificate
            if let retryAt = certificate.retryAt, retryAt > now { return retryAt }
            guard let checked = certificate.checkedAt else { return nil }
            var next = checked.addingTimeInterval(recheck)
            if let held = certificate.held { next = min(next, CertificateRules.renewAt(held, point: point)) }
            return max(next, now)
        }.min()
    }
}
