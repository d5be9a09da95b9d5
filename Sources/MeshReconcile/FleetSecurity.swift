import Foundation
import MeshAgent
import MeshDiagnostics
import MeshIdentity
import MeshPipeline
import Synchronization

/// The reconciler's side of mTLS to the agents: its own certificate
/// (`spiffe://<td>/meshc/reconciler`, issued by its CA at start and renewed
/// at half life; the key never leaves this process) and the mesh root it
/// checks every agent against. With it, `AgentFleet` talks to agents only
/// over mTLS, verifying each agent's certificate names exactly the proxy's
/// SPIFFE ID before anything — the bearer token included — is sent.
package final class FleetSecurity: Sendable {
    /// The trust domain of the proxies' identities and of the reconciler's.
    package let trustDomain: TrustDomain
    private let state = Mutex<(credentials: ClientCredentials?, renewAt: Date?, problem: String?)>((nil, nil, nil))

    /// Security for `trustDomain`; credentials come with the first `refresh`.
    package init(trustDomain: TrustDomain) { self.trustDomain = trustDomain }

    /// The reconciler's credentials, or why there are none.
    package var credentials: Result<ClientCredentials, AgentClient.Failure> {
        state.withLock { state in
            if let credentials = state.credentials { return .success(credentials) }
            return .failure(AgentClient.Failure(status: 0, description: "the reconciler has no certificate of its own yet (\(state.problem ?? "the CA was not read yet")); it talks to no agent until it has"))
        }
    }

    /// Issues the reconciler's certificate when it has none or is past half
    /// its life (a CA that cannot be read keeps the current one, and says why).
    package func refresh(_ issuer: CertificateIssuer, now: Date = Date()) {
        if let renewAt = state.withLock({ $0.renewAt }), renewAt > now { return }
        do {
            let ca = try issuer.loadCA()
            let key = WorkloadKey.generate()
            let identity = SPIFFEID.reconciler(trustDomain)
            let issued = try ca.sign(csrPEM: try makeCSR(key: key, identity: identity), expectedIdentity: identity, ttl: issuer.ttl, now: now)
            let renewAt = now.addingTimeInterval(issued.expiry.timeIntervalSince(now) / 2)
            state.withLock { $0 = (ClientCredentials(chainPEM: issued.fullChainPEM, keyPEM: key.pem, rootPEM: issued.rootPEM), renewAt, nil) }
        } catch {
            state.withLock { $0.problem = Bounded.text("\(error)", Bounded.reason) }
        }
    }

    /// The SPIFFE ID `proxy`'s agent must present.
    package func identity(of proxy: DesiredProxy) throws -> SPIFFEID {
        try SPIFFEID(trustDomain: trustDomain, namespace: proxy.identity.namespace, serviceAccount: proxy.identity.serviceAccount)
    }
}
