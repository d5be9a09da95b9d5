import Foundation
import MeshPipeline
import MeshPlan
import MeshReconcile

/// The running side of `meshc plan --running`: what each desired proxy's
/// `meshc agent` says Envoy runs, read through the reconciler's `AgentFleet`.
enum PlanRunning {
    /// The plan of `desired` against the agents. A proxy without an agent
    /// address is left out (with a note); an agent that cannot be reached is
    /// an error naming the proxy and the address.
    static func plan(_ desired: [DesiredProxy], token: String) async throws -> Plan {
        for proxy in desired where proxy.agentAddress == nil {
            FileHandleOutput.standardError("meshc plan: proxy \(proxy.name) declares no agent.address; it is left out of the plan")
        }
        let client = AgentFleet.makeClient()
        let round = ApplyRound(fleet: AgentFleet(token: token, client: client, readTimeout: .seconds(10)), parallel: 8)
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
