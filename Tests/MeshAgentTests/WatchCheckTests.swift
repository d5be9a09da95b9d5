import Foundation
import MeshDiagnostics
import MeshSnapshot
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MeshAgent

/// `WatchCheck`: the files a snapshot has Envoy watch (an inotify instance
/// each) against what the host's user has free.
@Suite struct WatchCheckTests {
    @Test func theFilesWatchedAreCDSLDSEachRouteFileAListenerReadsAndTheMeshSecrets() {
        let snapshot = Fixture.bundle(clusters: ["a"], routeTo: "a", listeners: [("l80", 80, "http.80"), ("l81", 81, "http.81")],
                                      extraRoutes: [("unread", "a")])
        #expect(WatchCheck.sources(snapshot) == ["meshc:cds.json", "meshc:lds.json", "meshc:routes/http.80.json", "meshc:routes/http.81.json",
                                                 "meshc:certs/default.json", "meshc:certs/ROOTCA.json"],
                "a route configuration no listener reads is written but not watched")
    }

    @Test func onlyTheFilesASnapshotAddsCountAgainstWhatIsFree() throws {
        let current = Fixture.bundle(clusters: ["a"], routeTo: "a", listeners: [("l80", 80, "http.80")])
        let next = Fixture.bundle(clusters: ["a"], routeTo: "a", listeners: [("l80", 80, "http.80"), ("l81", 81, "http.81"), ("l82", 82, "http.82")])
        #expect(WatchCheck.problem(from: current, to: next, limit: 128, inUse: 126) == nil, "two added, two free")
        let problem = try #require(WatchCheck.problem(from: current, to: next, limit: 128, inUse: 127))
        #expect(problem.contains("watch 7 files (2 more than now") && problem.contains("has 1 of fs.inotify.max_user_instances = 128 free (127 in use)"),
                "\(problem)")
        #expect(WatchCheck.problem(from: next, to: current, limit: 128, inUse: 128) == nil, "fewer files: nothing to take")
        #expect(WatchCheck.problem(from: nil, to: next, limit: 10, inUse: 3) == nil, "all 7 of a first snapshot need room, and have it")
        #expect(WatchCheck.problem(from: nil, to: next, limit: 10, inUse: 4) != nil)
        #expect(WatchCheck.problem(from: current, to: next, limit: nil, inUse: 127) == nil, "an unreadable limit checks nothing")
    }

    @Test func theAgentsOwnBudgetCountsEveryFileTheSnapshotWatches() throws {
        let next = Fixture.bundle(clusters: ["a"], routeTo: "a", listeners: [("l80", 80, "http.80"), ("l81", 81, "http.81"), ("l82", 82, "http.82")])
        #expect(WatchCheck.problem(next, budget: 7) == nil)
        let problem = try #require(WatchCheck.problem(next, budget: 6))
        #expect(problem.contains("watch 7 files") && problem.contains("over the agent's --max-watched-files 6"), "\(problem)")
        #expect(WatchCheck.problem(from: next, to: next, uid: geteuid(), budget: 6) == problem, "the budget holds for a snapshot already applied too")
    }

    /// Counted from /proc, per process: this test process's own instances
    /// (Envoys other tests start are other processes).
    @Test func instancesAreCountedFromProcsDescriptors() throws {
        let before = try #require(WatchCheck.instances(inProcess: getpid()))
        let made = (0..<3).map { _ in inotify_init() }
        defer { made.forEach { close($0) } }
        try #require(made.allSatisfy { $0 >= 0 })
        #expect(WatchCheck.instances(inProcess: getpid()) == before + 3)
        #expect(try #require(WatchCheck.instances(ownedBy: geteuid())) >= before + 3)
    }

    /// Mesh mTLS's two secrets are the only SDS files a cluster may name:
    /// a gateway secret's file in a cluster would be a watch `WatchCheck`
    /// does not count (it reads the listeners alone).
    @Test func aGatewaySecretsFileIsAllowedInListenersOnly() throws {
        let policy = SnapshotPolicy(fileRoots: ["/state/certs"], adminPort: 15000)
        let sds = JSON.object(["name": .string("tenant-1"), "sds_config": GatewaySecret.sdsConfig("tenant-1")])
        let context = JSON.object(["@type": .string("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext"),
                                   "common_tls_context": .object(["tls_certificate_sds_secret_configs": .array([sds])])])
        let cluster = JSON.object(["@type": .string(EnvoyKind.cluster.typeURL), "name": .string("c"), "type": .string("STATIC"),
                                   "transport_socket": .object(["name": .string("envoy.transport_sockets.tls"), "typed_config": context])])
        let resource = EnvoyResource(kind: .cluster, name: "c", bytes: cluster.rendered())
        let violations = policy.violations(in: [.cluster: [resource]])
        // Not the exempt placeholder: walked as any config source, its `meshc:` path is no allowed file.
        #expect(violations.map(\.field) == ["clusters[c].transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs[0].sds_config.path_config_source.path"],
                "\(violations)")
    }
}
