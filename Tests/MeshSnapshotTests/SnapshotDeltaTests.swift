import Foundation
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshSnapshot
import MeshTestSupport
import Testing

/// `SnapshotDelta`: a snapshot sent as its difference from the one the
/// receiver holds gives exactly that snapshot, or an error.
struct SnapshotDeltaTests {
    static func proxy(target: String, extraCluster: Bool = false) -> ProxyConfig {
        TestGateway.proxy([TestGateway.host("h:80", domains: ["h.example.com"], cluster: "outbound|80||\(target)")],
                          clusters: (extraCluster ? ["a", "b", "c"] : ["a", "b"]).map { "outbound|80||\($0)" })
    }

    static let base = Emitter.emit(proxy(target: "a")).snapshot

    @Test(arguments: [proxy(target: "b"), proxy(target: "a", extraCluster: true), proxy(target: "c", extraCluster: true), proxy(target: "a")],
          [SnapshotDelta.Keeping.runs, .names])
    func aDeltaGivesExactlyTheNextSnapshotAndCarriesOnlyWhatChanged(next: ProxyConfig, keeping: SnapshotDelta.Keeping) throws {
        let next = Emitter.emit(next).snapshot
        let text = SnapshotDelta.text(from: Self.base, to: next, keeping: keeping)
        let applied = try SnapshotDelta.apply(Array(text.utf8), to: Self.base)
        #expect(applied.snapshot == next)
        #expect(applied.snapshot.version == next.version)
        let changed = EnvoyKind.allCases.flatMap { kind in next[kind].filter { Self.base.version(of: kind, $0.name) != $0.version } }
        #expect(applied.carried.values.flatMap { $0 }.map(\.name).sorted() == changed.map(\.name).sorted())
        // The kept resources cost their names only.
        #expect(!text.contains("\"connect_timeout\"") || !changed.filter { $0.kind == .cluster }.isEmpty)
    }

    @Test(arguments: [
        (#"{"base":"BASE","kinds":{"clusters":[],"endpoints":[],"listeners":[],"routes":[]},"proxy":"other","version":"x"}"#, "is for proxy"),
        (#"{"base":"0000","kinds":{"clusters":[],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "not the applied snapshot"),
        (#"{"base":"BASE","kinds":{"clusters":["outbound|80||zzz"],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "does not hold"),
        (#"{"base":"BASE","kinds":{"clusters":["127.0.0.1_8080"],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "does not hold"),
        (#"{"base":"BASE","kinds":{"clusters":["outbound|80||a","outbound|80||a"],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "two resources named"),
        (#"{"base":"BASE","kinds":{"clusters":[],"endpoints":[],"listeners":[],"routes":[],"files":[]},"proxy":"gw","version":"x"}"#, "unknown member"),
        (#"{"base":"BASE","kinds":{"clusters":[],"endpoints":[],"listeners":["127.0.0.1_8080"],"routes":["http.80"]},"proxy":"gw","version":"x"}"#, "names cluster"),
        (#"{"base":"BASE","kinds":{"clusters":[],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "hash to"),
        (#"{"base":"BASE","kinds":{"clusters":[{"name":"x"}],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "@type"),
        (#"{"base":"BASE","kinds":{"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "is missing"),
        (#"[1]"#, "must be a JSON object"),
        // Runs: positions in the applied list, going forward, never overlapping, never twice with a name.
        (#"{"base":"BASE","kinds":{"clusters":[[0,3]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "must be a run"),
        (#"{"base":"BASE","kinds":{"clusters":[[1,1],[0,1]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "must be a run"),
        (#"{"base":"BASE","kinds":{"clusters":[[0,2],[1,1]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "must be a run"),
        (#"{"base":"BASE","kinds":{"clusters":[[0,0]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "must be a run"),
        (#"{"base":"BASE","kinds":{"clusters":[[-1,2]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "must be a run"),
        (#"{"base":"BASE","kinds":{"clusters":[[1,9223372036854775807]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "must be a run"),
        (#"{"base":"BASE","kinds":{"clusters":[["0",2]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "must be a run"),
        (#"{"base":"BASE","kinds":{"clusters":[[0,1,1]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "must be a run"),
        (#"{"base":"BASE","kinds":{"clusters":[[0,2],"outbound|80||a"],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "two resources named"),
        (#"{"base":"BASE","kinds":{"clusters":["outbound|80||b",[0,2]],"endpoints":[],"listeners":[],"routes":[]},"proxy":"gw","version":"x"}"#, "two resources named"),
    ] as [(String, String)])
    func aDeltaThatDoesNotDescribeOneSnapshotIsRefused(delta: String, expected: String) throws {
        let text = delta.replacingOccurrences(of: "BASE", with: Self.base.version)
        do {
            _ = try SnapshotDelta.apply(Array(text.utf8), to: Self.base)
            Issue.record("accepted: \(delta)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    static func hosts(_ targets: [String]) -> ProxyConfig {
        TestGateway.proxy(targets.enumerated().map { index, target in
            TestGateway.host("h\(index):80", domains: ["h\(index).example.com"], cluster: "outbound|80||\(target)")
        }, clusters: ["a", "b", "c"].map { "outbound|80||\($0)" })
    }

    /// A changed route configuration goes one level down: kept hosts as runs or by name.
    @Test(arguments: [["a", "c", "b"], ["a", "b"], ["a", "b", "c", "c"], ["c", "a", "b"], ["a", "b", "b", "a"]],
          [SnapshotDelta.Keeping.runs, .names])
    func aChangedRouteConfigurationCarriesOnlyItsNewHosts(after targets: [String], keeping: SnapshotDelta.Keeping) throws {
        let base = Emitter.emit(Self.hosts(["a", "b", "b"])).snapshot
        let next = Emitter.emit(Self.hosts(targets)).snapshot
        let text = SnapshotDelta.text(from: base, to: next, keeping: keeping)
        let applied = try SnapshotDelta.apply(Array(text.utf8), to: base)
        #expect(applied.snapshot == next)
        #expect(applied.snapshot.references == next.references)
        let route = try #require(next[.route].first), running = try #require(base[.route].first)
        let kept = route.virtualHosts.filter { host in running.virtualHosts.contains { $0.name == host.name && $0.version == host.version } }
        let brought = try #require(applied.brought[route.name])
        #expect(brought.virtualHosts.map(\.name) == route.virtualHosts.filter { !kept.map(\.name).contains($0.name) }.map(\.name))
        for host in kept {
            #expect(!text.contains("\"domains\":[\"\(host.name.dropLast(3)).example.com\"]"), "kept \(host.name) travels as a run or its name")
            #expect(text.contains("\"\(host.name)\"") == (keeping == .names))
        }
    }

    /// Hosts moved in their configuration: the ones kept after a run's end go by name.
    @Test(arguments: [[2, 0, 1], [1, 2, 0, 3], [0, 2], [3, 1, 0]], [SnapshotDelta.Keeping.runs, .names])
    func movedHostsGiveTheNextRouteConfiguration(order: [Int], keeping: SnapshotDelta.Keeping) throws {
        func host(_ index: Int) -> VirtualHost {
            TestGateway.host("h\(index):80", domains: ["h\(index).example.com"], cluster: "outbound|80||\(index == 3 ? "c" : "a")")
        }
        let clusters = ["a", "b", "c"].map { "outbound|80||\($0)" }
        let base = Emitter.emit(TestGateway.proxy([0, 1, 2].map(host), clusters: clusters)).snapshot
        let next = Emitter.emit(TestGateway.proxy(order.map(host), clusters: clusters)).snapshot
        let applied = try SnapshotDelta.apply(Array(SnapshotDelta.text(from: base, to: next, keeping: keeping).utf8), to: base)
        #expect(applied.snapshot == next && applied.snapshot.references == next.references)
    }

    /// Runs of hosts name positions of the running route's hosts, forward, never a host twice.
    @Test(arguments: [("[0,1]", "[3,1]", "must be a run"), ("[0,1]", "[0,0]", "must be a run"), ("[0,1]", "[0,1],[0,1]", "must be a run"),
                      ("[0,1]", "[1,1]", "names a virtual host twice"), ("[0,1]", "\"h0:80\",[0,1]", "names a virtual host twice"),
                      ("[0,1]", "[0,1],\"h0:80\"", "names a virtual host twice")])
    func aForgedRunOfHostsIsRefused(good: String, forged: String, expected: String) throws {
        let base = Emitter.emit(Self.hosts(["a", "b", "b"])).snapshot
        let text = SnapshotDelta.text(from: base, to: Emitter.emit(Self.hosts(["a", "c", "b"])).snapshot)
        #expect(text.contains("\"virtual_hosts\":[\(good),"), "\(text)")
        do {
            _ = try SnapshotDelta.apply(Array(text.replacingOccurrences(of: "\"virtual_hosts\":[\(good),", with: "\"virtual_hosts\":[\(forged),").utf8), to: base)
            Issue.record("accepted a delta with \(forged)")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test func aKeptHostTheRunningRouteDoesNotHoldIsRefused() throws {
        let base = Emitter.emit(Self.hosts(["a", "b", "b"])).snapshot
        let text = SnapshotDelta.text(from: base, to: Emitter.emit(Self.hosts(["a", "c", "b"])).snapshot, keeping: .names)
        #expect(text.contains("\"h0:80\""))
        for (forged, expected) in [("\"h0:80\"", "\"h9:80\""), ("\"h0:80\"", "7")] {
            do {
                _ = try SnapshotDelta.apply(Array(text.replacingOccurrences(of: forged, with: expected).utf8), to: base)
                Issue.record("accepted a delta keeping \(expected)")
            } catch {
                #expect(error.description.contains("h9:80") || error.description.contains("must be an object"), "\(error)")
            }
        }
    }

    /// A hostile delta: byte edits of a good one (deterministic) either give
    /// a snapshot that is whole and hashes to the version it claims, or an
    /// error; never a crash, never a snapshot naming what it does not hold.
    @Test(arguments: [SnapshotDelta.Keeping.runs, .names])
    func editedDeltasGiveOneWholeSnapshotOrAnError(keeping: SnapshotDelta.Keeping) throws {
        let base = Emitter.emit(Self.hosts(["a", "b", "b"])).snapshot
        let good = Array(SnapshotDelta.text(from: base, to: Emitter.emit(Self.hosts(["a", "c", "b"])).snapshot, keeping: keeping).utf8)
        var random = SeededGenerator(seed: 0x5EED)
        func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &random) }
        let alphabet = Array(#"{}[]",:0123456789abch"\ "#.utf8)
        var accepted = 0
        for _ in 0..<2_000 {
            var bytes = good
            for _ in 0..<(1 + next(3)) {
                switch next(3) {
                case 0: bytes[next(bytes.count)] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: next(bytes.count))
                default: bytes.insert(alphabet[next(alphabet.count)], at: next(bytes.count + 1))
                }
            }
            guard let applied = try? SnapshotDelta.apply(bytes, to: base) else { continue }
            accepted += 1
            #expect(applied.snapshot.forwardErrors().isEmpty)
            #expect(String(decoding: bytes, as: UTF8.self).contains(applied.snapshot.version))
        }
        #expect(accepted < 2_000, "most edits break the delta")
    }

    /// Kept names are looked for at their own place first, then by name: a kind whose list moved
    /// (reordered, a name twice) rebuilds its table or is refused; one kept whole in place reuses the base's.
    @Test(arguments: [["a", "b", "c"], ["c", "a", "b"], ["b", "a", "c"], ["a", "b", "b"]], [SnapshotDelta.Keeping.runs, .names])
    func keptResourcesInAnyOrderGiveTheNamedSnapshotOrAnError(order: [String], keeping: SnapshotDelta.Keeping) throws {
        let base = Emitter.emit(Self.proxy(target: "a", extraCluster: true)).snapshot
        var resources = base.resources
        resources[.cluster] = try order.map { name in try #require(base.resource(.cluster, named: "outbound|80||\(name)")) }
        let next = ProxySnapshot(proxy: base.proxy, resources: resources, references: base.references)
        let text = SnapshotDelta.text(from: base, to: next, keeping: keeping)
        guard Set(order).count == order.count else {
            #expect(throws: SnapshotError.self) { try SnapshotDelta.apply(Array(text.utf8), to: base) }
            return
        }
        let applied = try SnapshotDelta.apply(Array(text.utf8), to: base)
        #expect(applied.snapshot == next && applied.snapshot.version == next.version)
        #expect(applied.snapshot.table(.cluster).versionInfo == ResourceTable(next[.cluster]).versionInfo)
        #expect(applied.snapshot[.cluster].map(\.name) == order.map { "outbound|80||\($0)" })
    }

    /// A carried listener is unbound as a bundle's is: no delta points RDS at a file of its choosing.
    @Test func aCarriedListenerIsUnbound() throws {
        let next = Emitter.emit(Self.proxy(target: "a")).snapshot
        let listener = try #require(next[.listener].first)
        let bound = RouteSource.bind(listener.bytes, folder: "/etc")
        var text = SnapshotDelta.text(from: Self.base, to: next, keeping: .names)
        text = text.replacingOccurrences(of: "\"listeners\":[\"127.0.0.1_8080\"]", with: "\"listeners\":[\(bound)]")
        #expect(text.contains("/etc/routes"))
        let applied = try SnapshotDelta.apply(Array(text.utf8), to: Self.base)
        #expect(applied.snapshot == next)
    }
}
