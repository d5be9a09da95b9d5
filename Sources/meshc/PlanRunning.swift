import Foundation
import MeshIdentity
import MeshPipeline
import MeshPlan
import MeshReconcile

/// The running side of `meshc plan --running`: what each desired proxy's
/// `meshc agent` says Envoy runs, read through the reconciler's `AgentFleet`.
enum PlanRunning {
    /// The plan of `desired` against the agents. A proxy without an agent
    /// address is left out (with a note); an agent that cannot be reached is
    /// an error naming the proxy and the address.
    /// With `caDir`, enrolled agents are asked over mTLS as the reconciler would (`OperatorIdentity`).
    static func plan(_ desired: [DesiredProxy], token: String, caDir: String? = nil) async throws -> Plan {
        let security = try OperatorIdentity.security(caDir: caDir)
        for proxy in desired where proxy.agentAddress == nil {
            FileHandleOutput.standardError("meshc plan: proxy \(proxy.name) declares no agent.address; it is left out of the plan")
        }
        let client = AgentFleet.makeClient()
        let round = ApplyRound(fleet: AgentFleet(token: token, client: client, readTimeout: .seconds(10), security: security), parallel: 8)
        let (plan, unreachable, drift) = await round.plan(DesiredState(source: SourceLabel(id: "head"), proxies: desired))
        try? await client.shutdown()
        for (proxy, reason) in drift.sorted(by: { $0.key < $1.key }) {
            FileHandleOutput.standardError("meshc plan: proxy \(proxy) drifted: Envoy does not serve what its agent applied (\(reason)); the next reconcile round repairs it")
        }
        guard unreachable.isEmpty else {
            let lines = unreachable.sorted { $0.key < $1.key }.map { "the agent of \($0.key) at \($0.value)" }
            throw PlanInputError(lines.joined(separator: "\n") + "\nstart the agents (meshc agent) or plan against a git ref")
        }
        return plan
    }
}

/// How `meshc apply --ca-dir` and `meshc plan --running --ca-dir` reach
/// enrolled agents: as `meshc reconcile --ca-dir` does, with a short-lived
/// certificate for `spiffe://<td>/meshc/reconciler` signed by the CA in this
/// process (its key never written), checking each agent's SPIFFE ID.
enum OperatorIdentity {
    /// The lifetime of the command's own certificate.
    static let ttl: Duration = .seconds(3600)

    /// The fleet's mTLS security (nil without `caDir`); throws, saying what
    /// to do, when the CA cannot be read or cannot sign.
    static func security(caDir: String?) throws -> FleetSecurity? {
        guard let caDir else { return nil }
        let ca: MeshCA
        do { ca = try MeshCA(directory: caDir) } catch {
            throw PlanInputError("--ca-dir \(caDir): \(error); give the folder of `meshc ca init` (its key must be readable), or leave --ca-dir out for agents that are not enrolled")
        }
        let domain = ca.trustDomain ?? .default
        let security = FleetSecurity(trustDomain: domain)
        security.refresh(CertificateIssuer(caDirectory: caDir, trustDomain: domain, ttl: ttl))
        if case .failure(let failure) = security.credentials { throw PlanInputError("--ca-dir \(caDir): \(failure.description)") }
        return security
    }
}
