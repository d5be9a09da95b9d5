import Foundation
import MeshTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MeshAgent

/// `meshc agent`'s API under connection floods: tens of thousands of idle
/// connections must not lock the reconciler out, and a connection that never
/// finishes its request head is closed.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing), .serialized)
struct AgentFloodTests {
    typealias M = ScenarioManifests

    private func manifests(backend: Int, text: String) -> String {
        M.join([
            M.gateway,
            M.serviceWithWorkload("http-echo-\(text)", port: backend),
            M.virtualService(http: """
                  - route:
                \(M.destination("http-echo-\(text)"))
                """),
        ])
    }

    /// `meshc agent` as `TestBed.agent` starts it, plus `extra` arguments.
    private func agent(_ bed: TestBed, extra: [String] = []) throws -> AgentProcess {
        guard let envoy = Tools.envoy else { throw HarnessError(Tools.envoyMissing.rawValue) }
        let token = UUID().uuidString
        let tokenFile = try bed.write("agent-token", token + "\n")
        let state = bed.folder.appendingPathComponent("agent/state")
        let admin = try Ports.free()
        let (child, port) = try bed.spawnListening(name: "meshc-agent", arguments: [
            "agent", "--proxy", "gateway-istio-ingressgateway", "--state-dir", state.path, "--admin-port", String(admin),
            "--listen", "127.0.0.1:0", "--token-file", tokenFile, "--envoy", envoy, "--concurrency", "1",
        ] + extra)
        return AgentProcess(process: child, port: port, token: token, adminPort: admin, stateDirectory: state)
    }

    /// A Python process that keeps `count` idle connections to `port` open:
    /// it opens them all, then reopens every one the agent closes, until stopped.
    /// Its standard output gets "open N reopened M" once a second.
    private static let flooder = """
        import errno, resource, selectors, socket, sys, time
        port, count = int(sys.argv[1]), int(sys.argv[2])
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        selector = selectors.DefaultSelector()
        def connect():
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            selector.register(s, selectors.EVENT_READ)
        for _ in range(count):
            connect()
        print("open", count, "reopened", 0, flush=True)
        reopened, last = 0, time.monotonic()
        while True:
            for key, _ in selector.select(timeout=0.2):
                s = key.fileobj
                try:
                    if s.recv(1024):
                        continue
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    pass
                selector.unregister(s)
                s.close()
                connect()
                reopened += 1
            if time.monotonic() - last >= 1:
                last = time.monotonic()
                print("open", count, "reopened", reopened, flush=True)
        """

    /// The last "open N reopened M" line of a flooder: (N, M).
    private static func progress(_ flooder: Spawned) -> (open: Int, reopened: Int)? {
        guard let text = try? String(contentsOfFile: flooder.stdoutPath, encoding: .utf8),
              let line = text.split(separator: "\n").last(where: { $0.hasPrefix("open ") }) else { return nil }
        let words = line.split(separator: " ")
        guard words.count == 4, let open = Int(words[1]), let reopened = Int(words[3]) else { return nil }
        return (open, reopened)
    }

    /// Seconds `body` took, with its result.
    private func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = Date()
        let result = try body()
        return (result, Date().timeIntervalSince(start))
    }

    @Test func twentyThousandIdleConnectionsDoNotLockOutTheReconcilersPut() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        let listener = try Self.portBelowEphemeralRange()
        let toFoo = try bed.bundle(manifests(backend: foo.port, text: "foo"), listenerPort: listener)
        let toBar = try bed.bundle(manifests(backend: bar.port, text: "bar"), listenerPort: listener)
        let agent = try agent(bed)
        let script = try bed.write("flood.py", Self.flooder)

        // Two processes of 10,000 each: one process may hold fewer than 20,000 files here.
        let flooders = try (0..<2).map { n in
            try bed.spawn(name: "flood-\(n)", executable: "python3", arguments: [script, String(agent.port), "10000"])
        }
        defer { for flooder in flooders { flooder.stop() } }
        let opened = poll(seconds: 30, every: 0.05) { flooders.allSatisfy { Self.progress($0) != nil || !$0.isRunning } }
        try #require(opened && flooders.allSatisfy(\.isRunning), "\(flooders.map { $0.outputTail() })")
        // Let the agent churn through the flood for a moment: the reopened count climbs while it evicts.
        _ = poll(seconds: 5, every: 0.1) { flooders.allSatisfy { (Self.progress($0)?.reopened ?? 0) > 1000 } }

        let (first, firstSeconds) = try timed { try agent.put(toFoo, ifMatch: nil) }
        print("flood: first PUT answered \(first.status) after \(String(format: "%.2f", firstSeconds)) s")
        try #require(first.status == 200, "\(first.text)\n\(agent.context)")
        let (state, stateSeconds) = try timed { try agent.state() }
        let (second, secondSeconds) = try timed { try agent.put(toBar, ifMatch: toFoo["version"]?.text) }
        try #require(second.status == 200, "\(second.text)\n\(agent.context)")
        let reopened = flooders.compactMap { Self.progress($0)?.reopened }.reduce(0, +)
        print("flood: PUT \(String(format: "%.2f", firstSeconds)) s, GET /v1/state \(String(format: "%.2f", stateSeconds)) s, "
              + "second PUT \(String(format: "%.2f", secondSeconds)) s; 20,000 idle connections kept open by the flooders, \(reopened) reopened after the agent closed them")

        #expect(firstSeconds < 10 && secondSeconds < 10 && stateSeconds < 10, "answered within 10 s under the flood")
        #expect(state.snapshotVersion == toFoo["version"]?.text)
        // The flooders report once a second, and on a loaded machine the agent may get to evicting late.
        #expect(poll(seconds: 20, every: 0.2) { flooders.compactMap { Self.progress($0)?.reopened }.reduce(0, +) > 0 },
                "the agent closed idle connections to make room (\(reopened) seen right after the PUTs)")
        #expect(flooders.allSatisfy(\.isRunning) && agent.process.isRunning, "\(agent.context)")
        #expect(poll(seconds: 5) { (try? HTTPConnection.get(port: listener, "/").text) == "bar\n" }, "\(agent.context)")
        let log = (try? String(contentsOfFile: agent.process.stderrPath, encoding: .utf8)) ?? ""
        #expect(log.contains("connection cap reached"), "\(agent.context)")
    }

    @Test func aConnectionThatNeverFinishesItsRequestHeadIsClosed() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let agent = try agent(bed, extra: ["--header-timeout", "1"])

        let half = try Self.connect(port: agent.port)
        defer { close(half) }
        let silent = try Self.connect(port: agent.port)
        defer { close(silent) }
        let partial = Array("GET /v1/sta".utf8)
        #expect(send(half, partial, partial.count, Int32(MSG_NOSIGNAL)) == partial.count)
        let start = Date()
        #expect(Self.readsEndOfStream(half, within: 5), "half a request line is closed within the header timeout")
        #expect(Self.readsEndOfStream(silent, within: 5), "so is a connection that sends nothing")
        let elapsed = Date().timeIntervalSince(start)
        // About 1 s; the upper bound leaves room for a loaded machine's event loop, well under the 5 s waits.
        #expect(elapsed > 0.5 && elapsed < 4, "closed after about 1 s, not \(elapsed) s")
        // A whole request on a fresh connection is answered as before.
        #expect(try agent.request("GET", "/healthz", token: .some(nil)).status == 200, "\(agent.context)")
    }

    /// A free port under 32768 (`Ports.free`, the one registry every test
    /// takes ports from): the flooders' 20,000 connections use most of the
    /// ephemeral range, so a port from there could be one of their source
    /// ports by the time Envoy binds its listener.
    private static func portBelowEphemeralRange() throws -> Int {
        try Ports.free()
    }

    private static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket(): errno \(errno)") }
        var address = Loopback.address(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw HarnessError("connect 127.0.0.1:\(port): errno \(errno)") }
        return fd
    }

    /// True when the peer closes `fd` (read returns 0 or a reset) within `seconds`.
    private static func readsEndOfStream(_ fd: Int32, within seconds: Double) -> Bool {
        var limit = timeval(tv_sec: Int(seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 || (n < 0 && errno == ECONNRESET) { return true }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return false } // timed out
        }
    }
}
