import AsyncHTTPClient
import Foundation
import MeshAgent
import MeshDiagnostics
import MeshPipeline
import MeshSnapshot
import NIOCore

/// What a reconcile round needs of the agents: read one, fetch what it
/// runs, push to it. `AgentFleet` does it over HTTP; tests give a fake.
package protocol Fleet: Sendable {
    /// `GET /v1/state` of `proxy`'s agent, checking it runs that proxy.
    func observe(_ proxy: DesiredProxy) async -> Observation
    /// What the agent runs (an empty snapshot before its first).
    func running(_ proxy: DesiredProxy) async throws -> ProxySnapshot
    /// `PUT /v1/snapshot` of the desired snapshot over `ifMatch` (nil: only if nothing runs).
    func push(_ proxy: DesiredProxy, ifMatch: String?) async -> PushOutcome
}

/// The only type here that talks HTTP: reads and writes agents through
/// `AgentClient`, turning answers and errors into `Observation` and `PushOutcome` values.
package struct AgentFleet: Fleet {
    private let token: String
    private let client: HTTPClient
    private let timeout: TimeAmount

    private let readTimeout: TimeAmount

    /// Agents sharing one bearer `token`, reached through `client` (see
    /// `makeClient`: 2 s to connect); reads get `readTimeout`, pushes
    /// `timeout` (the agent validates, then Envoy confirms every stage
    /// before it answers). An agent past its deadline counts as
    /// unreachable and backs off; the round's other proxies never wait on it.
    package init(token: String, client: HTTPClient, timeout: TimeAmount = .seconds(20), readTimeout: TimeAmount = .seconds(3)) {
        self.token = token
        self.client = client
        self.timeout = timeout
        self.readTimeout = readTimeout
    }

    /// A client that fails at once on a refused connection (AsyncHTTPClient
    /// would otherwise retry until the request's deadline) and gives up
    /// connecting after 2 s. The owner shuts it down.
    package static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The client for the agent at `host:port`; `reading` picks the short timeout.
    func agent(_ address: String, reading: Bool = true) -> AgentClient {
        let base = address.contains("://") ? address : "http://\(address)"
        return AgentClient(base: base, token: token, client: client, timeout: reading ? readTimeout : timeout)
    }

    /// `GET /v1/state` of `proxy`'s agent, checking it runs that proxy.
    package func observe(_ proxy: DesiredProxy) async -> Observation {
        guard let address = proxy.agentAddress else { return .unreachable("no agent address") }
        do {
            let state = try await agent(address).state()
            guard state.proxy == proxy.name else {
                return .unreachable("the agent at \(address) runs proxy \(state.proxy), not \(proxy.name): fix spec.agent.address or the agent's --proxy")
            }
            if !state.drift.isEmpty { return .drifted(version: state.snapshotVersion, reason: state.drift.joined(separator: "; ")) }
            return .running(version: state.snapshotVersion)
        } catch {
            return .unreachable(Self.describe(error, address: address))
        }
    }

    /// `GET /v1/snapshot` (an empty snapshot before the first).
    package func running(_ proxy: DesiredProxy) async throws -> ProxySnapshot {
        guard let address = proxy.agentAddress else { return .empty(proxy: proxy.name) }
        return try await agent(address).snapshot() ?? .empty(proxy: proxy.name)
    }

    /// `PUT /v1/snapshot` of the desired bundle over `ifMatch` (nil: only if nothing runs).
    package func push(_ proxy: DesiredProxy, ifMatch: String?) async -> PushOutcome {
        guard let address = proxy.agentAddress else { return .unreachable("no agent address") }
        do {
            switch try await agent(address, reading: false).put(proxy.snapshot, ifMatch: ifMatch) {
            case .applied(let state): return .applied(version: state.snapshotVersion ?? proxy.snapshotVersion)
            case .stale(let current): return .stale(current: current)
            case .rejected(let reason, _): return .rejected(Self.firstLine(reason))
            case .malformed(let reason): return .malformed(reason)
            case .invalid(let reason): return .invalid(Self.firstLine(reason))
            }
        } catch {
            return .unreachable(Self.describe(error, address: address))
        }
    }

    static func describe(_ error: Error, address: String) -> String {
        if let failure = error as? AgentClient.Failure { return Bounded.text("\(address): \(failure.description)", Bounded.reason) }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
            return "\(address): no answer before the deadline"
        }
        return Bounded.text("\(address): \(error)", Bounded.reason)
    }

    /// Envoy's reasons can run over many lines; outcome lines keep the first.
    static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? text
    }
}
