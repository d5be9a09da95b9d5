import Foundation
import MeshAgent
import MeshDiagnostics
import MeshPipeline
import MeshReconcile
import MeshSnapshot
import Testing
#if canImport(Glibc)
import Glibc
#endif

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

/// An agent as meshc's were before kept runs, over plain HTTP on loopback:
/// `PUT` of a bundle, `PATCH` of a delta keeping names (applied with
/// `SnapshotDelta.apply`), 400 for a delta holding a run.
private final class AgentBeforeRuns: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var snapshot: ProxySnapshot?
    private var log: [String] = []

    init() throws {
        port = try Ports.free()
        fd = try Loopback.hold(port: port)
        Thread.detachNewThread { [self] in serve() }
    }

    var held: ProxySnapshot? { lock.withLock { snapshot } }
    var requests: [String] { lock.withLock { log } }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)) }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { close(fd); return }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            Thread.detachNewThread { [self] in
                var pending: [UInt8] = []
                while let (method, body) = Self.request(client, &pending) {
                    let (status, text) = lock.withLock { () -> (Int, String) in answer(method, body) }
                    let head = "HTTP/1.1 \(status) X\r\ncontent-type: application/json\r\ncontent-length: \(text.utf8.count)\r\n\r\n"
                    let bytes = Array((head + text).utf8)
                    guard write(client, bytes, bytes.count) == bytes.count else { break }
                }
                close(client)
            }
        }
    }

    private func answer(_ method: String, _ body: [UInt8]) -> (status: Int, body: String) {
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

    /// The next request on `client` (method, body), reading on from `pending`; nil at the end.
    private static func request(_ client: Int32, _ pending: inout [UInt8]) -> (String, [UInt8])? {
        let separator = Array("\r\n\r\n".utf8)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = pending.indices.dropLast(3).first(where: { Array(pending[$0..<($0 + 4)]) == separator }) {
                let head = String(decoding: pending[..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if pending.count >= end + 4 + length {
                    let method = String(head.prefix { $0 != " " }).uppercased()
                    let body = Array(pending[(end + 4)..<(end + 4 + length)])
                    pending.removeFirst(end + 4 + length)
                    return (method, body)
                }
            }
            let n = read(client, &buffer, buffer.count)
            guard n > 0 else { return nil }
            pending += buffer[0..<n]
        }
    }
}
