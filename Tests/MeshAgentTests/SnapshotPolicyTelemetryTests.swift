import Foundation
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshSnapshot
import Testing
@testable import MeshAgent

/// What Telemetry lets a commit put in a snapshot (issue 12), judged by the
/// agent's policy: an access log is a file Envoy writes, so only Envoy's own
/// output (the stream loggers meshc emits for /dev/stdout and /dev/stderr)
/// and files under the agent's roots are allowed; a tracing collector
/// is a cluster like any other, so pointing it at Envoy's admin is refused;
/// a span tag may not read the agent's environment.
@Suite struct SnapshotPolicyTelemetryTests {
    static let policy = SnapshotPolicyTests.policy

    /// A gateway listener logging to `log` and tracing to a Zipkin collector at `collector` (host, port).
    static func proxy(log: String, collector: (String, Int)) -> ProxySnapshot {
        let cluster = Cluster(name: "outbound|\(collector.1)||zipkin", endpoints: [Endpoint(address: collector.0, port: collector.1)], discovery: .static)
        var listener = Listener(name: "0.0.0.0_80", address: "0.0.0.0", port: 80, routeConfigName: "http.80")
        listener.telemetry = ListenerTelemetry(
            accessLogs: [AccessLog(path: log, format: .json([.init("request_id", "%REQ(X-REQUEST-ID)%")]), filter: "response.code >= 400")],
            tracing: Tracing(provider: .zipkin(cluster: cluster.name, hostname: "zipkin", path: "/api/v2/spans", traceID128: true),
                             samplingPercent: 100, customTags: [.init(tag: "team", value: .literal("platform"))]))
        let config = ProxyConfig(name: "gw", role: .gateway, adminPort: 15000, listeners: [listener],
                                 routeConfigs: [RouteConfig(name: "http.80", virtualHosts: [])], clusters: [cluster])
        return Emitter.emit(config).snapshot
    }

    @Test func logsToEnvoysOutputOrTheLogsFolderAndACollectorElsewhereAreAccepted() {
        let logs = Self.policy.fileRoots.first { $0.hasSuffix("/logs") } ?? "/var/lib/meshc/logs"
        for path in ["/dev/stdout", "/dev/stderr", logs + "/access.log"] {
            let snapshot = Self.proxy(log: path, collector: ("10.0.0.7", 9411))
            #expect(Self.policy.violations(in: snapshot).isEmpty, "\(path): \(Self.policy.violations(in: snapshot))")
            let listener = snapshot.resources[.listener]?.first?.bytes ?? ""
            #expect(listener.contains(path.hasPrefix("/dev/") ? "StdoutAccessLog" : "FileAccessLog") || path == "/dev/stderr", "\(listener)")
        }
    }

    @Test func anAccessLogElsewhereIsRefused() {
        for path in ["/etc/passwd", "/root/.bashrc", "logs/access.log", "/dev/sda"] {
            let found = Self.policy.violations(in: Self.proxy(log: path, collector: ("10.0.0.7", 9411)))
            #expect(found.map(\.kind) == [.file] && found[0].field.hasSuffix(".path"), "\(path): \(found)")
        }
    }

    @Test func aCollectorAtTheAdminIsRefused() {
        let found = Self.policy.violations(in: Self.proxy(log: "/dev/stdout", collector: ("127.0.0.1", 15000)))
        #expect(!found.isEmpty && found.allSatisfy { $0.kind == .address && $0.reason.contains("admin") }, "\(found)")
    }

    @Test func aSpanTagFromTheEnvironmentIsRefused() throws {
        // meshc never emits one (a build note leaves it out); a bundle made by hand may.
        let snapshot = Self.proxy(log: "/dev/stdout", collector: ("10.0.0.7", 9411))
        let listener = try #require(snapshot.resources[.listener]?.first)
        let text = listener.bytes.replacingOccurrences(of: #"{"literal":{"value":"platform"},"tag":"team"}"#, with: #"{"environment":{"name":"MESHC_TOKEN"},"tag":"team"}"#)
        #expect(text.contains("MESHC_TOKEN"), "the tag was not rewritten: \(text)")
        let hostile = ProxySnapshot(proxy: "gw", resources: [.listener: [EnvoyResource(kind: .listener, name: listener.name, bytes: text)]],
                                    references: References())
        let found = Self.policy.violations(in: hostile)
        #expect(found.map(\.kind) == [.environment], "\(found)")
    }
}
