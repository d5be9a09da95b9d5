import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MeshAgent

/// An agent started as root runs Envoy as `--envoy-user` (default nobody),
/// through setpriv, with the state folder opened to that user alone.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing),
       // Only root can switch Envoy's user: as anyone else the agent runs Envoy as itself.
       .enabled(if: geteuid() == 0, "needs root: an agent that is not root runs Envoy as its own user"))
struct AgentUserTests {
    private func manifests(_ backend: Int) -> String {
        ScenarioManifests.join([
            ScenarioManifests.gateway,
            ScenarioManifests.serviceWithWorkload("http-echo-foo", port: backend),
            ScenarioManifests.virtualService(http: """
                  - route:
                \(ScenarioManifests.destination("http-echo-foo"))
                """),
        ])
    }

    /// The real uid of process `pid` (`Uid:` of /proc/<pid>/status: real, effective, saved, fs).
    private func uids(_ pid: Int) throws -> [String] {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Uid:") })
        return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().map(String.init)
    }

    /// `cat path` as `user`: whether that user can read it.
    private func canRead(_ path: String, as user: EnvoyUser) throws -> Bool {
        try Subprocess.run("setpriv", ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--", "cat", path]).status == 0
    }

    @Test func envoyRunsAsNobodyAndReadsOnlyItsOwnFiles() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        // The bed's folder may be 0700 under a umask of 077: Envoy must get through it.
        chmod(bed.folder.path, 0o755)
        let nobody = try EnvoyUser.named("nobody")
        let foo = try bed.echo(text: "foo")
        let listener = try Ports.free()
        let agent = try bed.agent()
        let bundle = try bed.bundle(manifests(foo.port), listenerPort: listener)
        let put = try agent.put(bundle, ifMatch: nil)
        try #require(put.status == 200, "\(put.text)\n\(agent.context)")

        let pid = try #require(try agent.state().envoy.pid)
        #expect(try uids(pid) == Array(repeating: String(nobody.uid), count: 4), "\(agent.context)")
        _ = poll(seconds: 5) { Loopback.accepts(port: listener) }
        #expect(try HTTPConnection.get(port: listener, "/").text == "foo\n", "\(agent.context)")

        let state = agent.stateDirectory.path
        var info = stat()
        #expect(stat(state, &info) == 0 && info.st_uid == 0 && info.st_gid == nobody.gid && info.st_mode & 0o7777 == 0o750)
        #expect(stat(state + "/logs", &info) == 0 && info.st_uid == nobody.uid && info.st_mode & 0o7777 == 0o750)
        for file in ["bootstrap.json", "cds.json", "lds.json", "routes/http.80.pb"] {
            #expect(try canRead(state + "/" + file, as: nobody), "Envoy's \(file) is readable by it")
        }
        for file in ["applied.json", "envoy.pid", "envoy.log"] {
            #expect(stat(state + "/" + file, &info) == 0 && info.st_uid == 0 && info.st_mode & 0o007 == 0, "\(file) is root's")
            #expect(try !canRead(state + "/" + file, as: nobody), "\(file) is not Envoy's to read")
        }
    }

    /// Telemetry's access log to /dev/stdout (Istio's built-in `envoy` provider) as Envoy running as
    /// nobody writes it: to the agent's root-owned envoy.log, through Envoy's stdout logger (a file
    /// logger would reopen /dev/stdout by path and be refused).
    @Test func anAccessLogToStandardOutputReachesTheAgentsLog() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        chmod(bed.folder.path, 0o755)
        let foo = try bed.echo(text: "foo")
        let listener = try Ports.free()
        let agent = try bed.agent()
        let telemetry = """
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              accessLogging:
              - providers: [{name: envoy}]
            """
        let bundle = try bed.bundle(ScenarioManifests.join([manifests(foo.port), telemetry]), listenerPort: listener)
        let put = try agent.put(bundle, ifMatch: nil)
        try #require(put.status == 200, "\(put.text)\n\(agent.context)")
        _ = poll(seconds: 5) { Loopback.accepts(port: listener) }
        let response = try HTTPConnection(port: listener).request("GET", "/logged", headers: [("x-request-id", "agent-user-test-1")])
        #expect(response.text == "foo\n", "\(agent.context)")
        let log = agent.stateDirectory.appendingPathComponent("envoy.log").path
        #expect(poll(seconds: 5) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("\"agent-user-test-1\"") },
                "no access log line in envoy.log:\n\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    @Test func aStateFolderTheEnvoyUserCannotReachIsRefusedClearly() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        chmod(bed.folder.path, 0o755)
        try FileManager.default.createDirectory(at: bed.folder.appendingPathComponent("private"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let error = #expect(throws: HarnessError.self) { try bed.agent(state: "private/state") }
        #expect(error?.description.contains("the Envoy user nobody cannot reach") == true, "\(error?.description ?? "started")")
    }

    @Test func envoyUserRootKeepsEnvoyRoot() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let agent = try bed.agent(arguments: ["--envoy-user", "root"])
        #expect(poll(seconds: 15) { (try? agent.state().envoy.ready) == true }, "\(agent.context)")
        let pid = try #require(try agent.state().envoy.pid)
        #expect(try uids(pid) == ["0", "0", "0", "0"])
        #expect(agent.process.outputContains("Envoy runs as root"))
    }
}
