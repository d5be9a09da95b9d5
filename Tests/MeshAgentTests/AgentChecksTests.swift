import Foundation
import MeshSnapshot
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MeshAgent

/// The agent's checks around an apply that need no Envoy: ports a snapshot
/// adds, drift of delivery files, which process is an orphan Envoy.
@Suite struct AgentChecksTests {
    @Test func onlyListenersOnNewAddressesAreCheckedAndATakenPortIsNamed() throws {
        let current = Fixture.bundle(clusters: ["a"], routeTo: "a", listeners: [("l80", 80, "http.80")])
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try #require(withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } == 0)
        try #require(listen(fd, 1) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let taken = Int(UInt16(bigEndian: address.sin_port))

        let next = Fixture.bundle(clusters: ["a"], routeTo: "a", listeners: [("l80", 80, "http.80"), ("blocked", taken, "http.blocked")])
        #expect(PortCheck.added(from: current, to: next).map(\.listener) == ["blocked"], "l80 is Envoy's own already")
        let problem = try #require(PortCheck.problems(from: current, to: next))
        #expect(problem.contains("listener blocked: 127.0.0.1:\(taken) cannot be bound: Address already in use"), "\(problem)")
        #expect(PortCheck.problems(from: next, to: next) == nil, "ports the applied snapshot holds are not checked")
    }

    @Test func deliveryFilesThatDifferOrAreMissingAreDrift() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-drift-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let layout = DeliveryLayout(folder: folder)
        let snapshot = Fixture.bundle(clusters: ["a"], routeTo: "a")
        for file in layout.allFiles(snapshot) { try AtomicFile.write(bytes: file.bytes, to: layout.path(file.path)) }
        #expect(Drift.files(snapshot, layout: layout).isEmpty)
        try "{}".write(toFile: layout.path(DeliveryLayout.clusters), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: layout.path(layout.routePath("http.80")))
        #expect(Drift.files(snapshot, layout: layout) == ["routes/http.80.pb is missing", "cds.json differs from what the agent wrote"])
    }

    @Test func aListenerEnvoyDoesNotHoldActiveIsDriftWithEnvoysReason() {
        let snapshot = Fixture.bundle(clusters: ["a"], routeTo: "a")
        var readout = EnvoyReadout()
        readout.activeListeners = ["l80": "v1"]
        #expect(Drift.listeners(snapshot, readout: readout).isEmpty)
        readout.activeListeners = [:]
        readout.listenerErrors = ["l80": .init(details: "cannot bind '127.0.0.1:80': Address already in use", lastAttempt: "t")]
        #expect(Drift.listeners(snapshot, readout: readout) == ["listener l80 is not active in Envoy: cannot bind '127.0.0.1:80': Address already in use"])
    }

    @Test func anOrphanIsAnEnvoyOnThisStateFoldersBootstrapWhateverItsOtherFlags() {
        let ours = ["-c", "/state/bootstrap.json", "--disable-hot-restart", "--concurrency", "1"]
        #expect(EnvoySupervisor.isEnvoy(on: "/state/bootstrap.json", ["/venv/bin/envoy", "-c", "/state/bootstrap.json", "--concurrency", "4"],
                                        executable: "/other/envoy"), "another --concurrency, the same state folder")
        #expect(!EnvoySupervisor.isEnvoy(on: "/state/bootstrap.json", ["/venv/bin/envoy", "-c", "/elsewhere/bootstrap.json"], executable: "/x/envoy"))
        #expect(!EnvoySupervisor.isEnvoy(on: "/state/bootstrap.json", ["/usr/bin/python3", "-c", "/state/bootstrap.json"], executable: "/x/envoy"),
                "a reused pid running something else is left alone")
        #expect(EnvoySupervisor.bootstrap(in: ours) == "/state/bootstrap.json")
    }
}
