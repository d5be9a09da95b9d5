import Foundation
import MeshAgent
import MeshDiagnostics
import MeshPipeline
import MeshReconcile
import MeshSnapshot
import Testing

/// The reconciler's deltas to an agent from before kept runs: such an agent
/// refuses a run as malformed (it reads every item of a kind's list as a
/// name or a resource), so the reconciler sends the same delta with kept
/// names, and names only from then on.
@Suite struct DeltaFallbackTests {
    typealias M = ScenarioManifests

    private func manifests(target: String) -> String {
        M.join([M.gateway, M.serviceWithWorkload("http-echo-foo", port: 20_001), M.serviceWithWorkload("http-echo-bar", port: 20_002),
                M.virtualService(http: """
                      - route:
                    \(M.destination(target))
                    """)])
    }

    @Test func anAgentThatRefusesRunsIsSentNamesFromThenOn() async throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let listener = try Ports.free()
        let snapshots = try ["http-echo-foo", "http-echo-bar", "http-echo-foo"].map { target in
            try ProxySnapshot(bundle: Array(bed.bundle(manifests(target: target), listenerPort: listener).rendered().utf8))
        }
        let agent = try AgentBeforeRuns()
        defer { agent.stop() }
        let client = AgentFleet.makeClient()
        let fleet = AgentFleet(token: "token", client: client)
        func push(_ index: Int, over base: String?) async -> PushOutcome {
            await fleet.push(DesiredProxy(snapshot: snapshots[index], agentAddress: "127.0.0.1:\(agent.port)"), ifMatch: base)
        }
        #expect(await push(0, over: nil) == .applied(version: snapshots[0].version))
        #expect(await push(1, over: snapshots[0].version) == .applied(version: snapshots[1].version))
        #expect(await push(2, over: snapshots[1].version) == .applied(version: snapshots[2].version))
        #expect(agent.held == snapshots[2], "the agent rebuilt every snapshot from the deltas it took")
        #expect(agent.requests == ["PUT", "PATCH with runs: refused", "PATCH with names", "PATCH with names"])
        try await client.shutdown()
    }
}

/// An agent as meshc's were before kept runs, over plain HTTP on loopback
/// (`LoopbackServer`): `PUT` of a bundle, `PATCH` of a delta keeping names
/// (applied with `SnapshotDelta.apply`), 400 for a delta holding a run.
private final class AgentBeforeRuns: @unchecked Sendable {
    private let server: LoopbackServer
    private let state = State()

    init() throws {
        let state = state
        server = try LoopbackServer { request in state.lock.withLock { state.answer(request.method, request.body) } }
    }

    var port: Int { server.port }
    var held: ProxySnapshot? { state.lock.withLock { state.snapshot } }
    var requests: [String] { state.lock.withLock { state.log } }

    func stop() { server.stop() }

    /// The applied snapshot and the requests taken, read and written under `lock`.
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var snapshot: ProxySnapshot?
        var log: [String] = []

        func answer(_ method: String, _ body: [UInt8]) -> (status: Int, body: String) {
            func state(_ snapshot: ProxySnapshot) -> String {
                JSON.object(["proxy": .string(snapshot.proxy), "snapshotVersion": .string(snapshot.version), "resources": .array([]),
                             "envoy": .object(["ready": .bool(true), "pid": .null, "restarts": .int(0)]), "lastRejection": .null]).rendered()
            }
            if method == "PUT", let bundle = try? ProxySnapshot(bundle: body) {
                log.append("PUT")
                snapshot = bundle
                return (200, state(bundle))
            }
            guard method == "PATCH", let base = snapshot, let delta = try? JSON.parse(body) else { return (400, #"{"reason":"not a request this agent takes"}"#) }
            let kinds = delta["kinds"]?.members?.values.compactMap(\.array) ?? []
            let runs = kinds.contains { items in
                items.contains { $0.array != nil || ($0["virtual_hosts"]?.array ?? []).contains { $0.array != nil } }
            }
            if runs {
                log.append("PATCH with runs: refused")
                return (400, #"{"error":"malformed","reason":"delta: kinds.clusters[0]: a resource must be a JSON object"}"#)
            }
            guard let applied = try? SnapshotDelta.apply(body, to: base) else { return (400, #"{"reason":"bad delta"}"#) }
            log.append("PATCH with names")
            snapshot = applied.snapshot
            return (200, state(applied.snapshot))
        }
    }
}
