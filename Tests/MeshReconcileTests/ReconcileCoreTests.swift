import Foundation
import Testing
@testable import MeshReconcile

/// The pure core: decisions, backoff and drift, with an injected clock and no network.
struct ReconcileCoreTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func core(_ proxies: [(String, String?, String)]) -> ReconcileCore {
        var core = ReconcileCore()
        core.desire(proxies.map { (name: $0.0, agent: $0.1, version: $0.2) })
        return core
    }

    @Test func anEmptyAgentGetsTheFirstSnapshotWithoutIfMatch() {
        var core = core([("gw", "127.0.0.1:1", "v1")])
        #expect(core.decide(["gw": .running(version: nil)], now: t0) == ["gw": .apply(ifMatch: nil, drift: false)])
        #expect(core.records["gw"]?.phase == .applying)
    }

    @Test func anAgentRunningAnotherVersionIsUpdatedOverThatVersion() {
        var core = core([("gw", "127.0.0.1:1", "v2")])
        #expect(core.decide(["gw": .running(version: "v1")], now: t0) == ["gw": .apply(ifMatch: "v1", drift: false)])
    }

    @Test func anAgentRunningTheDesiredVersionIsInSync() {
        var core = core([("gw", "127.0.0.1:1", "v1")])
        #expect(core.decide(["gw": .running(version: "v1")], now: t0) == ["gw": .inSync])
        #expect(core.records["gw"]?.phase == .inSync)
        #expect(core.converged)
    }

    @Test func aProxyWithoutAnAgentIsSkippedWithANote() {
        var core = core([("mesh", nil, "v1"), ("gw", "127.0.0.1:1", "v1")])
        let decisions = core.decide(["gw": .running(version: "v1")], now: t0)
        guard case .skip(let note)? = decisions["mesh"] else { Issue.record("not skipped: \(decisions)"); return }
        #expect(note.contains("spec.agent.address"))
        #expect(core.records["mesh"]?.phase == .unmanaged)
        #expect(core.converged, "an unmanaged proxy does not hold up convergence")
    }

    @Test func driftAfterASuccessfulApplyIsReapplied() {
        var core = core([("gw", "127.0.0.1:1", "v2")])
        _ = core.decide(["gw": .running(version: "v1")], now: t0)
        core.record("gw", .applied(version: "v2"), now: t0)
        #expect(core.records["gw"]?.lastApplied == t0)
        #expect(core.decide(["gw": .running(version: "v2")], now: t0 + 1) == ["gw": .inSync])
        // The agent restarted with an empty state folder, or someone pushed an older bundle.
        #expect(core.decide(["gw": .running(version: nil)], now: t0 + 2) == ["gw": .apply(ifMatch: nil, drift: true)])
        #expect(core.decide(["gw": .running(version: "v0")], now: t0 + 3) == ["gw": .apply(ifMatch: "v0", drift: true)])
    }

    @Test(arguments: [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (7, 30.0), (50, 30.0), (0, 0.0)])
    func backoffDoublesFromHalfASecondToThirtySeconds(failures: Int, seconds: Double) {
        #expect(Backoff().delay(afterFailures: failures) == seconds)
    }

    @Test func failuresBackOffPerProxyAndASuccessResetsThem() {
        var core = core([("a", "127.0.0.1:1", "v1"), ("b", "127.0.0.1:2", "v1")])
        var decisions = core.decide(["a": .unreachable("connection refused"), "b": .running(version: nil)], now: t0)
        #expect(decisions["a"] == .wait(until: t0 + 0.5))
        #expect(decisions["b"] == .apply(ifMatch: nil, drift: false), "one proxy's failure does not hold up another")
        core.record("b", .rejected("address in use"), now: t0)
        #expect(core.records["b"]?.phase == .failed)
        #expect(core.records["b"]?.lastError == "rejected: address in use")
        #expect(core.nextRetry(after: t0) == t0 + 0.5)

        // Before the retry time nothing is attempted.
        decisions = core.decide(["a": .unreachable("refused"), "b": .running(version: nil)], now: t0 + 0.25)
        #expect(decisions == ["a": .wait(until: t0 + 0.5), "b": .wait(until: t0 + 0.5)])
        #expect(core.records["a"]?.failures == 1)

        // Due again: a fails a second time (1 s), b is retried.
        decisions = core.decide(["a": .unreachable("refused"), "b": .running(version: nil)], now: t0 + 0.5)
        #expect(decisions == ["a": .wait(until: t0 + 1.5), "b": .apply(ifMatch: nil, drift: false)])
        core.record("b", .unreachable("timed out"), now: t0 + 0.5)
        #expect(core.records["b"]?.retryAt == t0 + 1.5)
        #expect(core.records["b"]?.phase == .unreachable)

        decisions = core.decide(["a": .running(version: nil), "b": .running(version: nil)], now: t0 + 1.5)
        #expect(decisions == ["a": .apply(ifMatch: nil, drift: false), "b": .apply(ifMatch: nil, drift: false)])
        core.record("a", .applied(version: "v1"), now: t0 + 1.6)
        #expect(core.records["a"]?.failures == 0 && core.records["a"]?.retryAt == nil && core.records["a"]?.lastError == nil)
    }

    @Test func aWaitingProxyThatCaughtUpIsInSyncAtOnce() {
        var core = core([("gw", "127.0.0.1:1", "v1")])
        _ = core.decide(["gw": .unreachable("refused")], now: t0)
        #expect(core.decide(["gw": .running(version: "v1")], now: t0 + 0.1) == ["gw": .inSync])
    }

    @Test func aStaleWriteIsRetriedAtOnceOverTheNewVersion() {
        var core = core([("gw", "127.0.0.1:1", "v2")])
        _ = core.decide(["gw": .running(version: "v1")], now: t0)
        core.record("gw", .stale(current: "v9"), now: t0)
        #expect(core.records["gw"]?.retryAt == nil)
        #expect(core.decide(["gw": .running(version: "v9")], now: t0) == ["gw": .apply(ifMatch: "v9", drift: false)])
    }

    @Test func anInvalidConfigIsNotRetriedUntilTheRepositoryChanges() {
        var core = core([("gw", "127.0.0.1:1", "v2")])
        _ = core.decide(["gw": .running(version: "v1")], now: t0)
        core.record("gw", .invalid("bad cluster"), now: t0)
        #expect(core.records["gw"]?.phase == .failed)
        #expect(core.decide(["gw": .running(version: "v1")], now: t0 + 60) == ["gw": .skip("invalid: bad cluster")])
        core.desire([(name: "gw", agent: "127.0.0.1:1", version: "v3")])
        #expect(core.records["gw"]?.lastError == nil)
        #expect(core.decide(["gw": .running(version: "v1")], now: t0 + 61) == ["gw": .apply(ifMatch: "v1", drift: false)])
    }

    @Test func aNewDesiredVersionClearsTheBackoff() {
        var core = core([("gw", "127.0.0.1:1", "v1")])
        _ = core.decide(["gw": .running(version: nil)], now: t0)
        for attempt in 0..<5 { core.record("gw", .rejected("no"), now: t0 + Double(attempt)) }
        #expect(core.records["gw"]?.failures == 5)
        core.desire([(name: "gw", agent: "127.0.0.1:1", version: "v2")])
        #expect(core.decide(["gw": .running(version: nil)], now: t0 + 5) == ["gw": .apply(ifMatch: nil, drift: false)])
    }

    @Test func proxiesGoneFromTheRepositoryAreForgotten() {
        var core = core([("a", "127.0.0.1:1", "v1"), ("b", "127.0.0.1:2", "v1")])
        core.desire([(name: "a", agent: "127.0.0.1:1", version: "v1")])
        #expect(core.records.keys.sorted() == ["a"])
    }

    @Test func statusShowsEveryProxy() {
        var core = core([("gw", "127.0.0.1:1", "v2"), ("mesh", nil, "v1")])
        _ = core.decide(["gw": .running(version: "v1")], now: t0)
        core.record("gw", .applied(version: "v2"), now: t0)
        let status = ReconcileStatus(commit: "c", commitTime: nil, lastGoodCommit: "c", lastBuiltCommit: "c", lastError: nil,
                                     proxies: ReconcileStatus.proxies(core.sortedRecords))
        #expect(status.proxies.map(\.name) == ["gw", "mesh"])
        #expect(status.proxies[0].appliedSnapshotVersion == "v2" && status.proxies[0].state == .inSync)
        #expect(status.proxies[0].lastApplied == "2027-01-15T08:00:00Z")
        #expect(status.jsonText.contains("\"lastError\" : null"))
    }
}
