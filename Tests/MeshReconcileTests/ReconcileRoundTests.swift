import Foundation
import MeshDiagnostics
import MeshPipeline
import MeshSnapshot
import MeshSource
import Synchronization
import Testing
@testable import MeshReconcile

/// Agents in memory: what each runs, whether it answers, what it says to a
/// push. Records every push, so rounds are tested without processes or sleeps.
final class FakeFleet: Fleet {
    struct Agent {
        var running: ProxySnapshot?
        var reachable = true
        /// Answers the next push instead of applying it.
        var answer: PushOutcome?
        /// Envoy does not serve what the agent applied (until a push).
        var drift: String?
    }

    struct Push: Equatable {
        var proxy: String
        var ifMatch: String?
        var body: String
    }

    private let state: Mutex<(agents: [String: Agent], pushes: [Push], reads: [String])>

    init(_ agents: [String: Agent] = [:]) { state = Mutex((agents, [], [])) }

    var pushes: [Push] { state.withLock { $0.pushes } }
    /// The proxies whose agents were read (`observe`), in order.
    var reads: [String] { state.withLock { $0.reads } }

    func set(_ name: String, _ change: (inout Agent) -> Void) {
        state.withLock { change(&$0.agents[name, default: Agent()]) }
    }

    func observe(_ proxy: DesiredProxy) async -> Observation {
        state.withLock { state in
            state.reads.append(proxy.name)
            let agent = state.agents[proxy.name, default: Agent()]
            guard agent.reachable else { return .unreachable("\(proxy.agentAddress ?? ""): connection refused") }
            if let drift = agent.drift { return .drifted(version: agent.running?.version, reason: drift) }
            return .running(version: agent.running?.version)
        }
    }

    func running(_ proxy: DesiredProxy) async throws -> ProxySnapshot {
        state.withLock { $0.agents[proxy.name]?.running } ?? .empty(proxy: proxy.name)
    }

    func push(_ proxy: DesiredProxy, ifMatch: String?) async -> PushOutcome {
        let body = proxy.snapshot.bundle()
        return state.withLock { state in
            state.pushes.append(Push(proxy: proxy.name, ifMatch: ifMatch, body: body))
            var agent = state.agents[proxy.name, default: Agent()]
            defer { state.agents[proxy.name] = agent }
            guard agent.reachable else { return .unreachable("connection refused") }
            if let answer = agent.answer {
                agent.answer = nil
                return answer
            }
            guard ifMatch == agent.running?.version else { return .stale(current: agent.running?.version) }
            agent.running = proxy.snapshot
            agent.drift = nil
            return .applied(version: proxy.snapshotVersion)
        }
    }
}

/// Reconcile rounds (`ApplyRound` + `ReconcileCore`) against `FakeFleet`: no Envoy, no HTTP, no sleeps.
@Suite struct ReconcileRoundTests {
    /// Two proxies with agents: S2's gateway and the frontend sidecar of an S4 step (`sidecarStep`).
    static func desired(sidecarStep: String = "step1-no-rules") throws -> DesiredState {
        let gateway = try Pipeline().desired(SourceSnapshot.directory(PipelineTests.samples, under: "s2-path-routing")).get()
        let sidecar = try Pipeline().desired(SourceSnapshot.directory(PipelineTests.samples, under: "s4-sidecars/\(sidecarStep)")).get()
        return DesiredState(source: SourceLabel(id: sidecarStep), proxies: gateway.proxies + sidecar.proxies)
    }

    static func round(_ fleet: FakeFleet, _ desired: DesiredState, core: SharedCore, at time: Double = 0) async -> [String: String] {
        let outcomes = await ApplyRound(fleet: fleet, parallel: 4).run(desired, core: core, now: { Date(timeIntervalSince1970: time) })
        return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.proxy, $0.text) })
    }

    static func core(_ desired: DesiredState) -> SharedCore {
        let core = SharedCore()
        core.with { $0.desire(desired.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) }) }
        return core
    }

    @Test func aRoundPushesWhatDiffersAndTheNextFindsEverythingInSync() async throws {
        let desired = try Self.desired()
        let managed = desired.proxies.filter { $0.agentAddress != nil }.map(\.name)
        try #require(managed.count >= 2, "the sample declares agents: \(desired.proxies.map(\.name))")
        let fleet = FakeFleet(), core = Self.core(desired)
        let first = await Self.round(fleet, desired, core: core)
        for name in managed { #expect(first[name] == "applied") }
        #expect(fleet.pushes.map(\.ifMatch) == managed.map { _ in nil }, "an empty agent gets If-None-Match: *")
        let second = await Self.round(fleet, desired, core: core, at: 1)
        for name in managed { #expect(second[name] == "unchanged") }
        #expect(fleet.pushes.count == managed.count)
        #expect(core.value.converged)
    }

    /// The body of a push is the snapshot's resources spliced: every
    /// resource's own bytes appear in it verbatim (nothing re-rendered), and
    /// nothing on the path from a commit to a PUT parses JSON back.
    @Test func aPushCarriesEachResourcesBytesAsRendered() async throws {
        let desired = try Self.desired()
        let fleet = FakeFleet()
        _ = await Self.round(fleet, desired, core: Self.core(desired))
        for push in fleet.pushes {
            let snapshot = try #require(desired.proxies.first { $0.name == push.proxy }).snapshot
            #expect(push.body == snapshot.bundle())
            for kind in EnvoyKind.allCases {
                for resource in snapshot[kind] { #expect(push.body.contains(resource.bytes), "\(kind.label) \(resource.name)") }
            }
        }
        let sources = PipelineTests.samples.replacingOccurrences(of: "/samples", with: "/Sources")
        for module in ["MeshPipeline", "MeshReconcile"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: "\(sources)/\(module)") where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: "\(sources)/\(module)/\(file)", encoding: .utf8)
                #expect(!text.contains("JSON.parse") && !text.contains(".json()"), "\(module)/\(file) parses JSON on the path to a push")
            }
        }
    }

    @Test func anUnreachableAgentBacksOffAndHoldsUpNoOther() async throws {
        let desired = try Self.desired()
        let managed = desired.proxies.filter { $0.agentAddress != nil }.map(\.name)
        let down = managed[0], up = managed[1]
        let fleet = FakeFleet([down: FakeFleet.Agent(reachable: false)]), core = Self.core(desired)
        let first = await Self.round(fleet, desired, core: core)
        #expect(first[down]?.hasPrefix("unreachable:") == true)
        #expect(first[up] == "applied")
        // Within the backoff the proxy waits; after it, it is tried again and converges.
        fleet.set(down) { $0.reachable = true }
        #expect(core.value.records[down]?.phase == .unreachable)
        let waiting = await Self.round(fleet, desired, core: core, at: 0.1)
        #expect(waiting[down]?.hasPrefix("unreachable:") == true, "backing off: \(waiting)")
        #expect(fleet.pushes.filter { $0.proxy == down }.isEmpty, "nothing is pushed to an agent that did not answer")
        let later = await Self.round(fleet, desired, core: core, at: 5)
        #expect(later[down] == "applied")
        #expect(core.value.converged)
    }

    @Test func aStalePreconditionIsReadAgainAndRetriedOnce() async throws {
        let desired = try Self.desired()
        let name = try #require(desired.proxies.first { $0.agentAddress != nil }).name
        let fleet = FakeFleet([name: FakeFleet.Agent(answer: .stale(current: nil))])
        let outcomes = await Self.round(fleet, desired, core: Self.core(desired))
        #expect(outcomes[name] == "stale: retried, applied")
        #expect(fleet.pushes.filter { $0.proxy == name }.count == 2)
    }

    /// `envoy --mode validate` beside the agent refused it: not pushed again until the repository changes.
    @Test func anInvalidSnapshotIsNotRetriedUntilTheRepositoryChanges() async throws {
        let desired = try Self.desired()
        let name = try #require(desired.proxies.first { $0.agentAddress != nil }).name
        let fleet = FakeFleet([name: FakeFleet.Agent(answer: .invalid("Protobuf message has unknown fields"))]), core = Self.core(desired)
        let first = await Self.round(fleet, desired, core: core)
        #expect(first[name] == "invalid: Protobuf message has unknown fields")
        #expect(core.value.records[name]?.phase == .failed)
        let second = await Self.round(fleet, desired, core: core, at: 60)
        #expect(second[name] == "invalid: Protobuf message has unknown fields")
        #expect(fleet.pushes.filter { $0.proxy == name }.count == 1)
        // A new commit (another desired version) is pushed again.
        let next = try Self.desired(sidecarStep: "step2-subset-v1")
        core.with { $0.desire(next.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) }) }
        let third = await Self.round(fleet, next, core: core, at: 61)
        #expect(third[name] == "applied")
    }

    /// A new commit goes out over what the agents answered to the last push,
    /// without reading them first; one written by someone else meanwhile is
    /// refused (412), read and retried.
    @Test func aNewCommitIsPushedOverTheLastAnswerWithoutAReadFirst() async throws {
        let desired = try Self.desired()
        let name = try #require(desired.proxies.first { $0.name.hasPrefix("frontend") && $0.agentAddress != nil }).name
        let fleet = FakeFleet(), core = Self.core(desired)
        _ = await Self.round(fleet, desired, core: core)
        let next = try Self.desired(sidecarStep: "step2-subset-v1")
        try #require(next.proxies.first { $0.name == name }?.snapshotVersion != desired.proxies.first { $0.name == name }?.snapshotVersion)
        core.with { $0.desire(next.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) }) }
        let readsBefore = fleet.reads.filter { $0 == name }.count
        let second = await Self.round(fleet, next, core: core, at: 1)
        #expect(second[name] == "applied")
        #expect(fleet.reads.filter { $0 == name }.count == readsBefore, "pushed over the version the last push left")
        #expect(fleet.pushes.last { $0.proxy == name }?.ifMatch == desired.proxies.first { $0.name == name }?.snapshotVersion)

        // Someone else wrote meanwhile: the push over the remembered version is stale, read again, retried.
        fleet.set(name) { $0.running = .empty(proxy: name) }
        core.with { $0.desire(desired.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) }) }
        let third = await Self.round(fleet, desired, core: core, at: 2)
        #expect(third[name] == "stale: retried, applied")
        // Long after the last answer, agents are read first again.
        core.with { $0.desire(next.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) }) }
        let reads = fleet.reads.count
        _ = await Self.round(fleet, next, core: core, at: 1000)
        #expect(fleet.reads.count > reads)
    }

    /// Envoy does not serve what the agent applied (a hand-edited file, a
    /// listener that lost its port): the same version is pushed again, which
    /// the agent turns into a repair; the error shows until it clears.
    @Test func aDriftedProxyIsRepairedWithTheSameVersion() async throws {
        let desired = try Self.desired()
        let proxy = try #require(desired.proxies.first { $0.agentAddress != nil })
        let fleet = FakeFleet(), core = Self.core(desired)
        _ = await Self.round(fleet, desired, core: core)
        fleet.set(proxy.name) { $0.drift = "listener http.80 is not active in Envoy" }
        fleet.set(proxy.name) { $0.answer = .unreachable("timed out") }
        let failed = await Self.round(fleet, desired, core: core, at: 1)
        #expect(failed[proxy.name]?.hasPrefix("unreachable") == true)
        #expect(core.value.records[proxy.name]?.phase != .inSync)
        let repaired = await Self.round(fleet, desired, core: core, at: 100)
        #expect(repaired[proxy.name] == "applied")
        #expect(fleet.pushes.last?.ifMatch == proxy.snapshotVersion, "the version it already runs, again")
        #expect(core.value.records[proxy.name]?.lastError == nil)
        #expect(core.value.records[proxy.name]?.phase == .inSync)
    }

    /// An agent that runs something else than the repository wants (a hand-made push, an old state folder) is put right.
    @Test func driftIsPutRight() async throws {
        let desired = try Self.desired()
        let name = try #require(desired.proxies.first { $0.agentAddress != nil }).name
        let fleet = FakeFleet(), core = Self.core(desired)
        _ = await Self.round(fleet, desired, core: core)
        fleet.set(name) { $0.running = .empty(proxy: name) }
        let outcomes = await Self.round(fleet, desired, core: core, at: 1)
        #expect(outcomes[name] == "applied")
        #expect(fleet.pushes.last?.ifMatch == ProxySnapshot.empty(proxy: name).version)
    }
}
