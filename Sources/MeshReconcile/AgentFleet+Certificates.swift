import Foundation
import MeshAgent
import MeshIdentity
import MeshPipeline

extension AgentFleet: CertificateFleet {
    /// `GET /v1/state`'s certificate, checking the agent runs `proxy`. With
    /// mTLS security, an agent that serves plain HTTP is asked again without
    /// the bearer token: it is enrolling (`AgentRoute.enrolling`).
    package func certificate(_ proxy: DesiredProxy) async throws -> (AgentState.Certificate?, AgentRoute) {
        guard proxy.agentAddress != nil else { return (nil, .verified) }
        let state: AgentState, route: AgentRoute
        do {
            (state, route) = (try await agent(proxy).state(), .verified)
        } catch MTLSFailure.noTLS(let address, let reason) where security != nil {
            guard let plain = try? await enrollingAgent(proxy).state(), plain.certificate == nil else {
                throw MTLSFailure.noTLS(address: address, reason: reason)
            }
            (state, route) = (plain, .enrolling)
        }
        guard state.proxy == proxy.name else {
            throw AgentClient.Failure(status: 0, description: "the agent runs proxy \(state.proxy), not \(proxy.name): fix spec.agent.address or the agent's --proxy")
        }
        return (state.certificate, route)
    }

    /// `POST /v1/csr`.
    package func requestCSR(_ proxy: DesiredProxy, identity: SPIFFEID, route: AgentRoute) async throws -> AgentIdentity.CSRAnswer {
        try await client(proxy, route).requestCSR(identity: identity.uri)
    }

    /// `PUT /v1/certificate`.
    package func install(_ proxy: DesiredProxy, chainPEM: String, rootPEM: String, installMAC: String?,
                         route: AgentRoute) async throws -> AgentState.Certificate {
        try await client(proxy, route).installCertificate(chainPEM: chainPEM, rootPEM: rootPEM, enrollmentMAC: installMAC)
    }

    private func client(_ proxy: DesiredProxy, _ route: AgentRoute) throws -> AgentClient {
        guard proxy.agentAddress != nil else { throw AgentClient.Failure(status: 0, description: "no agent address") }
        return route == .enrolling ? enrollingAgent(proxy) : try agent(proxy)
    }
}
