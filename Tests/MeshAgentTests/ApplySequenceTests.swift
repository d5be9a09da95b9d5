import MeshDiagnostics
import MeshSnapshot
import Testing
@testable import MeshAgent

/// The apply sequence without any network: readouts in, actions out.
@Suite struct ApplySequenceTests {
    typealias S = EnvoyReadout.Subscription

    /// The files of a `.write`, by path.
    private func written(_ action: ApplySequence.Action) -> (ApplySequence.Stage, [String: String], [String])? {
        guard case .write(let stage, let files, let removals) = action else { return nil }
        return (stage, Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.text) }), removals)
    }

    @Test func firstSnapshotGoesClustersThenRoutesThenListeners() throws {
        let next = Fixture.bundle(clusters: ["a"], routeTo: "a")
        var sequence = ApplySequence(from: .empty(proxy: "gw"), to: next, layout: Fixture.layout)
        #expect(sequence.stages == [.addClusters, .routes, .listeners])
        #expect(sequence.start() == .read)
        let base = EnvoyReadout.with(clusters: S(version: "", success: 1), listeners: S(version: "", success: 1))

        let clusters = try #require(written(sequence.observe(base)))
        #expect(clusters.0 == .addClusters)
        #expect(clusters.1["cds.json"]?.contains("\"version_info\":\"\(next.versionInfo(.cluster))\"") == true)
        #expect(sequence.observe(base) == .read, "Envoy has not taken the file yet")

        let cdsDone = EnvoyReadout.with(clusters: S(version: next.versionInfo(.cluster), success: 2), listeners: base.listeners)
        let routes = try #require(written(sequence.observe(cdsDone)))
        #expect(routes.0 == .routes)
        #expect(Array(routes.1.keys) == ["routes/http.80.json"])

        // No listener subscribes to http.80 yet, so nothing to wait for.
        let listeners = try #require(written(sequence.observe(cdsDone)))
        #expect(listeners.0 == .listeners)
        let lds = try #require(listeners.1["lds.json"])
        #expect(lds.contains("/state/routes/http.80.json"))
        #expect(!lds.contains("/build/gw/routes.json"), "the agent owns the layout: RDS paths are rewritten")

        let ldsDone = EnvoyReadout.with(clusters: cdsDone.clusters, listeners: S(version: next.versionInfo(.listener), success: 2))
        #expect(sequence.observe(ldsDone) == .read, "the new listener's routes are not loaded yet")
        var loaded = ldsDone
        loaded.routeVersions = ["http.80": next[.route][0].version]
        #expect(sequence.observe(loaded) == .finished(.applied))
    }

    @Test func aRouteChangeWritesOnlyThatRouteAndWaitsForItsVersion() throws {
        let current = Fixture.bundle(clusters: ["a", "b"], routeTo: "a")
        let next = Fixture.bundle(clusters: ["a", "b"], routeTo: "b")
        var sequence = ApplySequence(from: current, to: next, layout: Fixture.layout)
        #expect(sequence.stages == [.routes])
        _ = sequence.start()
        let base = EnvoyReadout.with(routes: ["http.80": current[.route][0].version])
        let routes = try #require(written(sequence.observe(base)))
        #expect(routes.1["routes/http.80.json"]?.contains("\"version_info\":\"\(next[.route][0].version)\"") == true)
        #expect(sequence.observe(base) == .read)
        #expect(sequence.observe(.with(routes: ["http.80": next[.route][0].version])) == .finished(.applied))
    }

    @Test func pollsReadOnlyWhatTheStageJudgesAndABaselineIsReadInFull() throws {
        let current = Fixture.bundle(clusters: ["a", "b"], routeTo: "b")
        let next = Fixture.bundle(clusters: ["a", "c"], routeTo: "c")
        var sequence = ApplySequence(from: current, to: next, layout: Fixture.layout)
        _ = sequence.start()
        #expect(sequence.parts == .counters, "a baseline holds the counters")
        var envoy = EnvoyReadout.with(clusters: S(version: current.versionInfo(.cluster), success: 1),
                                      routes: ["http.80": current[.route][0].version])
        envoy.parts = .counters
        #expect(written(sequence.observe(envoy))?.0 == .addClusters)
        #expect(sequence.parts == .counters, "the cluster stage judges counters: no dump")
        envoy.clusters = S(version: "\(next.versionInfo(.cluster))+\(current.versionInfo(.cluster))", success: 2)
        #expect(written(sequence.observe(envoy))?.0 == .routes)
        #expect(sequence.parts == [], "a stage writing routes only is polled on versions alone")
        var versions = EnvoyReadout()
        versions.parts = []
        versions.routeVersions = envoy.routeVersions
        #expect(sequence.observe(versions) == .read)
        #expect(sequence.parts == .counters, "not confirmed: the counters come next, to tell a rejection")
        #expect(sequence.observe(envoy) == .read)
        #expect(sequence.parts == [], "no rejection: versions alone again")
        versions.routeVersions["http.80"] = next[.route][0].version
        #expect(written(sequence.observe(versions))?.0 == .removeClusters, "the route stage's baseline counters start the next stage")
        #expect(sequence.parts == .counters)
        envoy.clusters = S(version: next.versionInfo(.cluster), success: 3)
        envoy.routeVersions = versions.routeVersions
        #expect(sequence.observe(envoy) == .finished(.applied))
        #expect(sequence.settled == envoy)
    }

    @Test func theListenerStageReadsTheListenerDumpAndItsBaselineIsReadInFull() throws {
        let current = Fixture.bundle(clusters: ["a"], routeTo: "a")
        let next = Fixture.bundle(clusters: ["a"], routeTo: "a", listeners: [("l80", 80, "http.80"), ("l81", 81, "http.81")])
        var sequence = ApplySequence(from: current, to: next, layout: Fixture.layout)
        _ = sequence.start()
        #expect(sequence.parts == .counters)
        var envoy = EnvoyReadout.with(listeners: S(version: current.versionInfo(.listener), success: 1),
                                      routes: ["http.80": current[.route][0].version])
        envoy.parts = .counters
        #expect(written(sequence.observe(envoy))?.0 == .routes)
        #expect(sequence.observe(envoy) == .read, "routes confirmed; a readout without the dump is no baseline for the listener stage")
        #expect(sequence.parts == [.counters, .listeners])
        envoy.parts = [.counters, .listeners]
        #expect(written(sequence.observe(envoy))?.0 == .listeners)
    }

    @Test func aRouteStageConfirmedOnVersionsSettlesOnItsBaselinesCountersAndARejectionShowsInTheCountersAfter() throws {
        let current = Fixture.bundle(clusters: ["a", "b"], routeTo: "a")
        let next = Fixture.bundle(clusters: ["a", "b"], routeTo: "b")
        let base = EnvoyReadout.with(clusters: S(version: "c1", success: 4), listeners: S(version: "l1", success: 2),
                                     routes: ["http.80": current[.route][0].version])
        var accepted = ApplySequence(from: current, to: next, layout: Fixture.layout)
        _ = accepted.start()
        #expect(written(accepted.observe(base))?.0 == .routes)
        var versions = EnvoyReadout()
        versions.parts = []
        versions.routeVersions = ["http.80": next[.route][0].version]
        #expect(accepted.observe(versions) == .finished(.applied))
        var settled = base
        settled.routeVersions = versions.routeVersions
        #expect(accepted.settled == settled, "the next apply's baseline: the counters as read before, the versions as read now")

        var refused = ApplySequence(from: current, to: next, layout: Fixture.layout)
        _ = refused.start()
        _ = refused.observe(base)
        var stale = versions
        stale.routeVersions = base.routeVersions
        #expect(refused.observe(stale) == .read)
        #expect(refused.parts == .counters)
        var rejected = base
        rejected.routesRejected = 1
        rejected.loggedRejections = ["http.80: bad route"]
        let restore = try #require(written(refused.observe(rejected)))
        #expect(restore.0 == .routes && restore.1["routes/http.80.json"]?.contains(current[.route][0].version) == true, "the last good route goes back")
        #expect(refused.observe(stale) == .finished(.rejected(reason: "routes: http.80: bad route", restoreProblem: nil)))
        #expect(refused.settled == nil, "nothing confirmed going forward")
    }

    @Test func clustersAreAddedBeforeAndRemovedAfterTheRoutesMove() throws {
        let current = Fixture.bundle(clusters: ["a", "b"], routeTo: "b")
        let next = Fixture.bundle(clusters: ["a", "c"], routeTo: "c")
        var sequence = ApplySequence(from: current, to: next, layout: Fixture.layout)
        #expect(sequence.stages == [.addClusters, .routes, .removeClusters])
        _ = sequence.start()
        var envoy = EnvoyReadout.with(clusters: S(version: current.versionInfo(.cluster), success: 1),
                                      routes: ["http.80": current[.route][0].version])
        let add = try #require(written(sequence.observe(envoy)))
        let union = try #require(add.1["cds.json"])
        for name in ["\"a\"", "\"b\"", "\"c\""] { #expect(union.contains("\"name\":\(name)"), "make before break keeps \(name)") }
        let unionInfo = "\(next.versionInfo(.cluster))+\(current.versionInfo(.cluster))"
        #expect(union.contains(unionInfo))
        envoy.clusters = S(version: unionInfo, success: 2)
        #expect(written(sequence.observe(envoy))?.0 == .routes)
        envoy.routeVersions["http.80"] = next[.route][0].version
        let remove = try #require(written(sequence.observe(envoy)))
        #expect(remove.0 == .removeClusters)
        #expect(remove.1["cds.json"]?.contains("\"name\":\"b\"") == false)
        envoy.clusters = S(version: next.versionInfo(.cluster), success: 3)
        #expect(sequence.observe(envoy) == .finished(.applied))
    }

    @Test func aRejectedListenerIsRolledBackWithEnvoysReason() throws {
        let current = Fixture.bundle(clusters: ["a"], routeTo: "a")
        let next = Fixture.bundle(clusters: ["a"], routeTo: "a", listeners: [("l80", 80, "http.80"), ("l81", 81, "http.81")])
        var sequence = ApplySequence(from: current, to: next, layout: Fixture.layout)
        #expect(sequence.stages == [.routes, .listeners])
        _ = sequence.start()
        let base = EnvoyReadout.with(listeners: S(version: current.versionInfo(.listener), success: 1),
                                     routes: ["http.80": current[.route][0].version])
        #expect(written(sequence.observe(base))?.1.keys.sorted() == ["routes/http.81.json"])
        #expect(written(sequence.observe(base))?.0 == .listeners)

        let refused = EnvoyReadout.with(listeners: S(version: current.versionInfo(.listener), success: 1, rejected: 1), routes: base.routeVersions,
                                        logged: ["Error adding/updating listener(s) l81: cannot bind '127.0.0.1:81': Address already in use"])
        let restore = try #require(written(sequence.observe(refused)))
        #expect(restore.0 == .listeners)
        #expect(restore.1["lds.json"]?.contains("\"version_info\":\"\(current.versionInfo(.listener))\"") == true)
        #expect(restore.1["lds.json"]?.contains("l81") == false)

        let restored = EnvoyReadout.with(listeners: S(version: current.versionInfo(.listener), success: 2, rejected: 1), routes: base.routeVersions)
        let cleanup = try #require(written(sequence.observe(restored)))
        #expect(cleanup.0 == .cleanup && cleanup.2 == ["routes/http.81.json"])
        guard case .finished(.rejected(let reason, let problem)) = sequence.observe(restored) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reason.contains("listeners") && reason.contains("Address already in use"))
        #expect(problem == nil)
    }

    @Test func aPartlyAppliedClusterUpdateIsUndone() throws {
        let current = Fixture.bundle(clusters: ["a"], routeTo: "a")
        let next = Fixture.bundle(clusters: ["a", "bad"], routeTo: "a")
        var sequence = ApplySequence(from: current, to: next, layout: Fixture.layout)
        _ = sequence.start()
        let base = EnvoyReadout.with(clusters: S(version: current.versionInfo(.cluster), success: 1))
        #expect(written(sequence.observe(base))?.0 == .addClusters)
        // Envoy added what it could and kept the old version_text.
        let partial = EnvoyReadout.with(clusters: S(version: current.versionInfo(.cluster), success: 1, rejected: 1))
        let restore = try #require(written(sequence.observe(partial)))
        #expect(restore.0 == .removeClusters)
        #expect(restore.1["cds.json"]?.contains("\"bad\"") == false)
        #expect(sequence.observe(partial) == .read, "the restore is not confirmed until Envoy completes one more update")
        let back = EnvoyReadout.with(clusters: S(version: current.versionInfo(.cluster), success: 2, rejected: 1))
        guard case .finished(.rejected(let reason, .none)) = sequence.observe(back) else {
            Issue.record("expected a clean rejection")
            return
        }
        #expect(reason.contains("CDS update_rejected 0 → 1"), "without a logged reason the counters are named")
    }

    @Test func aTimeoutRollsBackAndAFailedRestoreIsReported() throws {
        let current = Fixture.bundle(clusters: ["a", "b"], routeTo: "a")
        let next = Fixture.bundle(clusters: ["a", "b"], routeTo: "b")
        var sequence = ApplySequence(from: current, to: next, layout: Fixture.layout)
        _ = sequence.start()
        let base = EnvoyReadout.with(routes: ["http.80": current[.route][0].version])
        _ = sequence.observe(base)
        let restore = try #require(written(sequence.failed("no confirmation within 10 s", readout: base)))
        #expect(restore.0 == .routes)
        #expect(restore.1["routes/http.80.json"]?.contains(current[.route][0].version) == true)
        guard case .finished(.rejected(let reason, let problem)) = sequence.observe(.with(routes: base.routeVersions, routesRejected: 1)) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(reason == "routes: no confirmation within 10 s")
        #expect(problem?.contains("RDS update_rejected 0 → 1") == true)
    }

    @Test func aFailedRemovalBringsTheOldClustersBackFirst() throws {
        let current = Fixture.bundle(clusters: ["a", "b"], routeTo: "b")
        let next = Fixture.bundle(clusters: ["a"], routeTo: "a")
        var sequence = ApplySequence(from: current, to: next, layout: Fixture.layout)
        #expect(sequence.stages == [.routes, .removeClusters])
        _ = sequence.start()
        var envoy = EnvoyReadout.with(clusters: S(version: current.versionInfo(.cluster), success: 1),
                                      routes: ["http.80": current[.route][0].version])
        _ = sequence.observe(envoy)
        envoy.routeVersions["http.80"] = next[.route][0].version
        #expect(written(sequence.observe(envoy))?.0 == .removeClusters)
        let readd = try #require(written(sequence.failed("no confirmation", readout: envoy)))
        #expect(readd.0 == .addClusters)
        #expect(readd.1["cds.json"]?.contains("\"name\":\"b\"") == true)
        #expect(sequence.stages == [.addClusters, .routes, .removeClusters])
    }

    @Test func anUnchangedBundleIsDoneAtOnce() {
        let bundle = Fixture.bundle(clusters: ["a"], routeTo: "a")
        var sequence = ApplySequence(from: bundle, to: bundle, layout: Fixture.layout)
        #expect(sequence.start() == .finished(.applied))
    }
}

/// Snapshot secrets (`GatewaySecret`): written with the routes, before the listeners, deleted when unused.
@Suite struct ApplySequenceSecretTests {
    static func withSecret(_ bundle: ProxySnapshot, chain: String) -> ProxySnapshot {
        let secret = JSON.object([
            "@type": .string(EnvoyKind.secret.typeURL), "name": .string("default/web"),
            "tls_certificate": .object(["certificate_chain": .object(["filename": .string(chain)])]),
        ])
        return ProxySnapshot(proxy: bundle.proxy, resources: bundle.resources.merging([.secret: [try! EnvoyResource(kind: .secret, json: secret)]]) { _, new in new },
                             references: bundle.references)
    }

    @Test func aChangedSecretIsWrittenBeforeTheListenersAndAnUnusedOneIsDeleted() {
        let plain = Fixture.bundle(clusters: ["a"], routeTo: "a")
        let first = Self.withSecret(plain, chain: "/certs/a.crt")
        let stages = ApplySequence.forward(from: .empty(proxy: "gw"), to: first, layout: Fixture.layout)
        #expect(stages.map(\.stage) == [.addClusters, .routes, .listeners])
        #expect(stages[1].files.map(\.path) == ["secrets/default%2Fweb.json", "routes/http.80.json"])
        #expect(stages[1].files[0].text.contains("/certs/a.crt"))

        let second = Self.withSecret(plain, chain: "/certs/b.crt")
        let change = ApplySequence.forward(from: first, to: second, layout: Fixture.layout)
        #expect(change.map(\.stage) == [.routes])
        #expect(change[0].files.map(\.path) == ["secrets/default%2Fweb.json"])

        let gone = ApplySequence.forward(from: second, to: plain, layout: Fixture.layout)
        #expect(gone.last?.stage == .cleanup)
        #expect(gone.last?.removals == ["secrets/default%2Fweb.json"])
        #expect(Fixture.layout.allFiles(second).first?.path == "secrets/default%2Fweb.json")
    }
}
