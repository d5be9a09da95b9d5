import Foundation
import MeshAgent
import MeshIdentity
import MeshPipeline

extension AgentFleet: CertificateFleet {
    /// `GET /v1/state`'s certificate, checking the agent runs `proxy`.
    package func certificate(_ proxy: DesiredProxy) async throws -> AgentState.Certificate? {
        guard let address = proxy.agentAddress else { return nil }
        let state = try await agent(address).state()
        guard state.proxy == proxy.name else {
            throw AgentClient.Failure(status: 0, description: "the agent runs proxy \(state.proxy), not \(proxy.name): fix spec.agent.address or the agent's --proxy")
        }
        return state.certificate
    }

    /// `POST /v1/csr`.
    package func requestCSR(_ proxy: DesiredProxy, identity: SPIFFEID) async throws -> AgentIdentity.CSRAnswer {
        guard let address = proxy.agentAddress else { throw AgentClient.Failure(status: 0, description: "no agent address") }
        return try await agent(address).requestCSR(identity: identity.uri)
    }

    /// `PUT /v1/certificate`.
    package func install(_ proxy: DesiredProxy, chainPEM: String, rootPEM: String) async throws -> AgentState.Certificate {
        guard let address = proxy.agentAddress else { throw AgentClient.Failure(status: 0, description: "no agent address") }
        return try await agent(address).installCertificate(chainPEM: chainPEM, rootPEM: rootPEM)
    }
}
