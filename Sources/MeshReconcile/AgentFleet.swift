import AsyncHTTPClient
import Foundation
import MeshAgent
import MeshDiagnostics
import MeshPipeline
import MeshSnapshot
import NIOCore
import Synchronization

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
    /// The snapshot each proxy was last given, the base of its next delta.
    private let delivered = Delivered()
    /// mTLS to every agent (with `--ca-dir`); nil: plain HTTP with the bearer token.
    package let security: FleetSecurity?

    /// Agents sharing one bearer `token`, reached through `client` (see
    /// `makeClient`: 2 s to connect); reads get `readTimeout`, pushes
    /// `timeout` (the agent validates, then Envoy confirms every stage
    /// before it answers). An agent past its deadline counts as
    /// unreachable and backs off; the round's other proxies never wait on it.
    package init(token: String, client: HTTPClient, timeout: TimeAmount = .seconds(20), readTimeout: TimeAmount = .seconds(3),
                 security: FleetSecurity? = nil) {
        self.security = security
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

    /// The client for `proxy`'s agent; `reading` picks the short timeout.
    /// With `security`, an mTLS client that first checks the agent is `proxy`.
    func agent(_ proxy: DesiredProxy, reading: Bool = true) throws -> AgentClient {
        let address = proxy.agentAddress ?? ""
        let base = address.contains("://") ? address : "http://\(address)"
        guard let security else {
            return AgentClient(base: base, token: token, client: client, timeout: reading ? readTimeout : timeout)
        }
        let credentials = try security.credentials.get()
        let identity = try security.identity(of: proxy)
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw AgentClient.Failure(status: 0, description: "agent address \(address) is not HOST:PORT")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let transport = MTLSTransport(host: host, port: port, identity: identity, credentials: credentials)
        return AgentClient(base: base, token: token, transport: transport, client: client, timeout: reading ? readTimeout : timeout)
    }

    /// A plain-HTTP client without the bearer token, for an enrolling agent (not verified: it gets no credential).
    func enrollingAgent(_ proxy: DesiredProxy) -> AgentClient {
        let address = proxy.agentAddress ?? ""
        return AgentClient(base: address.contains("://") ? address : "http://\(address)", token: nil, transport: nil, client: client, timeout: readTimeout)
    }

    /// `GET /v1/state` of `proxy`'s agent, checking it runs that proxy.
    package func observe(_ proxy: DesiredProxy) async -> Observation {
        guard let address = proxy.agentAddress else { return .unreachable("no agent address") }
        do {
            let state = try await agent(proxy).state()
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
        guard proxy.agentAddress != nil else { return .empty(proxy: proxy.name) }
        return try await agent(proxy).snapshot() ?? .empty(proxy: proxy.name)
    }

    /// `PUT /v1/snapshot` of the desired bundle over `ifMatch` (nil: only if nothing runs);
    /// `PATCH` of a `SnapshotDelta` when `ifMatch` is the snapshot this fleet last
    /// delivered to the proxy: kept runs, or kept names to an agent that refused
    /// runs as malformed (one from before them; remembered), or the bundle after
    /// all when the agent takes no delta.
    package func push(_ proxy: DesiredProxy, ifMatch: String?) async -> PushOutcome {
        guard let address = proxy.agentAddress else { return .unreachable("no agent address") }
        do {
            let client = try agent(proxy, reading: false)
            var answer: AgentClient.PutResult
            if let ifMatch, let base = delivered.base(proxy.name, version: ifMatch) {
                let keeping = delivered.keeping(proxy.name)
                answer = try await client.patch(SnapshotDelta.text(from: base, to: proxy.snapshot, keeping: keeping), ifMatch: ifMatch, minimal: true)
                if case .malformed = answer, keeping == .runs {
                    delivered.refusedRuns(proxy.name)
                    answer = try await client.patch(SnapshotDelta.text(from: base, to: proxy.snapshot, keeping: .names), ifMatch: ifMatch, minimal: true)
                }
                if case .malformed = answer { answer = try await client.put(proxy.snapshot, ifMatch: ifMatch, minimal: true) }
            } else {
                answer = try await client.put(proxy.snapshot, ifMatch: ifMatch, minimal: true)
            }
            if case .applied = answer { delivered.record(proxy.snapshot) }
            switch answer {
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
        if let failure = error as? MTLSFailure { return Bounded.text(failure.description, Bounded.reason) }
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

/// The last snapshot delivered to each proxy (in memory: after a restart the
/// first push is whole), and the proxies whose agents take kept names only.
private final class Delivered: Sendable {
    private let snapshots = Mutex<[String: ProxySnapshot]>([:])
    private let namesOnly = Mutex<Set<String>>([])

    /// How the next delta to `proxy` writes what it keeps.
    func keeping(_ proxy: String) -> SnapshotDelta.Keeping { namesOnly.withLock { $0.contains(proxy) } ? .names : .runs }

    /// `proxy`'s agent refused a delta with runs: it gets names from now on.
    func refusedRuns(_ proxy: String) { namesOnly.withLock { _ = $0.insert(proxy) } }

    /// The snapshot delivered to `proxy` when it is version `version`.
    func base(_ proxy: String, version: String) -> ProxySnapshot? {
        snapshots.withLock { $0[proxy] }.flatMap { $0.version == version ? $0 : nil }
    }

    func record(_ snapshot: ProxySnapshot) { snapshots.withLock { $0[snapshot.proxy] = snapshot } }
}
