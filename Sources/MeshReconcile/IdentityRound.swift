import Foundation
import MeshAgent
import MeshDiagnostics
import MeshIdentity
import MeshPipeline

/// How an agent was reached for issuance.
package enum AgentRoute: Sendable, Equatable {
    /// Over mTLS, its certificate verified as the proxy's (or, without `--ca-dir` security, plain HTTP with the bearer token).
    case verified
    /// Plain HTTP without the bearer token: an agent enrolling (no certificate yet), not verified;
    /// only an enrollment proof gets it a certificate.
    case enrolling
}

/// What issuance needs of the agents. `AgentFleet` does it over HTTP; tests give a fake.
package protocol CertificateFleet: Sendable {
    /// The certificate `proxy`'s agent holds (`GET /v1/state`), nil when none, and how it was reached.
    func certificate(_ proxy: DesiredProxy) async throws -> (AgentState.Certificate?, AgentRoute)
    /// `POST /v1/csr` for `identity`.
    func requestCSR(_ proxy: DesiredProxy, identity: SPIFFEID, route: AgentRoute) async throws -> AgentIdentity.CSRAnswer
    /// `PUT /v1/certificate` (`installMAC` for an enrolling agent).
    func install(_ proxy: DesiredProxy, chainPEM: String, rootPEM: String, installMAC: String?, route: AgentRoute) async throws -> AgentState.Certificate
}

/// Issuance, reconciler-driven (the push model): at each wake-up, for every
/// proxy with an agent whose certificate is due a look (`ReconcileCore.certificateDue`),
/// read what the agent holds; when it is missing, names another identity or
/// root, or is past half its life (`CertificateRules.need`), ask the agent
/// for a CSR (its key is made and stays on its host), sign it for exactly
/// the identity the repository gives the proxy (`CertificateIssuer`) and
/// install the chain. The agent writes Envoy's SDS files. Runs before the
/// snapshot round, so listeners that name the secrets find them.
///
/// Verified agents are reached over mTLS (`FleetSecurity`); an agent that
/// serves plain HTTP is enrolling (`AgentRoute.enrolling`): it is sent no
/// bearer token, and only an enrollment proof gets it a certificate, which
/// is installed with the token's MAC. After that, certificates only.
package struct IdentityRound: Sendable {
    /// Talks to the agents.
    package var fleet: any CertificateFleet
    /// Signs.
    package var issuer: CertificateIssuer
    /// Agents handled at once, at most.
    package var parallel: Int
    /// Seconds between reads of an agent whose certificate is good (catches an agent that lost its folder).
    package var recheck: TimeInterval
    /// The fraction of a certificate's lifetime after which it is renewed (Istio: half).
    package var renewalPoint: Double
    /// The reconciler's own certificate for mTLS to the agents, refreshed at each run; nil without mTLS.
    package var security: FleetSecurity?

    /// A round over `fleet` signing with `issuer`.
    package init(fleet: any CertificateFleet, issuer: CertificateIssuer, parallel: Int = 4, recheck: TimeInterval = 30,
                 renewalPoint: Double = 0.5, security: FleetSecurity? = nil) {
        self.security = security
        self.fleet = fleet
        self.issuer = issuer
        self.parallel = parallel
        self.recheck = recheck
        self.renewalPoint = renewalPoint
    }

    /// Handles every proxy of `desired` that is due; returns log lines (`proxy`, text) of what happened.
    package func run(_ desired: DesiredState, core: SharedCore, now: @escaping @Sendable () -> Date = { Date() }) async -> [(proxy: String, text: String)] {
        security?.refresh(issuer, now: now())
        let round = self
        let lines = await boundedMap(desired.proxies.filter { $0.agentAddress != nil }, limit: parallel) { proxy in
            await round.handle(proxy, core: core, now: now).map { (proxy.name, $0) }
        }
        return lines.compactMap { $0 }
    }

    /// One proxy: read, decide, issue; what happened, nil when nothing was due.
    func handle(_ proxy: DesiredProxy, core: SharedCore, now: @Sendable () -> Date) async -> String? {
        let name = proxy.name
        let identity: SPIFFEID
        do { identity = try issuer.identity(of: proxy) } catch {
            core.with { $0.certificateFailed(name, reason: "\(error)", now: now()) }
            return "\(error)"
        }
        let (recheck, point) = (self.recheck, renewalPoint)
        guard core.with({ $0.certificateDue(name, identity: identity.uri, recheck: recheck, now: now(), point: point) }) else { return nil }
        let held: AgentState.Certificate?, route: AgentRoute
        do { (held, route) = try await fleet.certificate(proxy) } catch {
            let reason = AgentFleet.describe(error, address: proxy.agentAddress ?? "")
            let text = error is MTLSFailure ? reason : "unreachable: \(reason)"
            core.with { $0.certificateFailed(name, reason: text, now: now()) }
            return text
        }
        let ca: MeshCA?, caProblem: String?
        do { (ca, caProblem) = (try issuer.loadCA(), nil) } catch { (ca, caProblem) = (nil, "\(error)") }
        core.with { $0.certificateSeen(name, identity: identity.uri, held: held, now: now()) }
        guard let need = CertificateRules.need(held, identity: identity.uri, root: ca?.rootFingerprint, now: now(), point: point) else {
            core.with { $0.certificateIssued(name, identity: identity.uri, held: held!, now: now()) }
            return nil
        }
        guard let ca else {
            let reason = "the CA cannot be used (\(caProblem ?? "?")); the agent keeps its current certificate"
            core.with { $0.certificateFailed(name, reason: reason, now: now()) }
            return "\(need): \(reason)"
        }
        do {
            let answer = try await fleet.requestCSR(proxy, identity: identity, route: route)
            let signed = try await issuer.sign(answer, proxy: name, identity: identity, ca: ca, enrollmentOnly: route == .enrolling, now: now())
            let issued = signed.certificate
            let installed = try await fleet.install(proxy, chainPEM: issued.fullChainPEM, rootPEM: issued.rootPEM,
                                                    installMAC: signed.installMAC, route: route)
            try issuer.spend(signed, now: now())
            core.with { $0.certificateIssued(name, identity: identity.uri, held: installed, now: now()) }
            return "certificate \(installed.serial) issued (\(need)), expires \(installed.expiry)"
        } catch {
            let reason = error is AgentClient.Failure ? AgentFleet.describe(error, address: proxy.agentAddress ?? "") : "\(error)"
            core.with { $0.certificateFailed(name, reason: reason, now: now()) }
            return "\(need): \(reason)"
        }
    }
}
