import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MeshAgent

/// Workload certificates end to end: `meshc ca init/enroll`, real agents
/// with enrollment tokens, `meshc reconcile --ca-dir` issuing, rotating and
/// refusing an agent at a committed address that cannot prove it is the proxy.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct IdentityTests {
    typealias R = ReconcileManifests
    typealias Gateway = ReconcileTests.Gateway

    /// Proxy `name`'s line in `/status`.
    static func line(_ status: JSON, _ name: String) -> JSON? {
        status["proxies"]?.items.first { $0["name"]?.text == name }
    }

    /// `manifest` (a `kind: Proxy`) with `spec.serviceAccount: name`: each gateway its own identity.
    static func withServiceAccount(_ manifest: String, _ name: String) -> String {
        manifest.replacingOccurrences(of: "spec:\n", with: "spec:\n  serviceAccount: \(name)\n")
    }

    /// The `version_info` of `certs/default.json` in `state` (the serial of the certificate Envoy is given).
    static func secretVersion(_ state: URL) -> String? {
        guard let data = try? Data(contentsOf: state.appendingPathComponent("certs/default.json")) else { return nil }
        return (try? JSON.parse(data))?["version_info"]?.text
    }

    static func mode(_ path: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path.path)[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test func theReconcilerIssuesAndRotatesCertificatesAndRefusesAnAgentWithoutProof() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let ca = bed.folder.appendingPathComponent("ca").path
        let initialized = try Tools.meshc(["ca", "init", "--dir", ca])
        try #require(initialized.status == 0, "\(initialized.stderr)")
        var enrollment: [String: String] = [:]
        for name in ["gw-a", "gw-b"] {
            let made = try Tools.meshc(["ca", "enroll", "--dir", ca, "--proxy", name, "--ttl", "10m"])
            try #require(made.status == 0, "\(made.stderr)")
            enrollment[name] = try bed.write("\(name)-enroll-token", made.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
        }

        let foo = try bed.echo(text: "foo")
        var a = try Gateway("gw-a"), b = try Gateway("gw-b")
        for gateway in [a, b] {
            let agent = try bed.agent(proxy: gateway.name, port: gateway.agentPort, adminPort: gateway.admin, token: token,
                                      state: "agents/\(gateway.name)", arguments: ["--enroll-token-file", enrollment[gateway.name]!])
            if gateway.name == a.name { a.agent = agent } else { b.agent = agent }
        }
        let repo = try GitFixture(in: bed.folder)
        var files = R.scenario(foo: foo.port, bar: foo.port, pathRouting: false)
        let proxies = { (bAgent: Int) in
            Self.withServiceAccount(a.manifest, "gw-a") + "---\n"
                + Self.withServiceAccount(R.gatewayProxy(b.name, listener: b.listener, admin: b.admin, agent: bAgent) + "\n", "gw-b")
        }
        files["mesh/proxies.yaml"] = proxies(b.agentPort)
        try repo.commit("two gateways", files)

        // 1-minute certificates renewed at a tenth of their life (hidden flag), agents read every second.
        let reconciler = try bed.reconciler(repo: repo, token: token, interval: "1s", arguments: [
            "--ca-dir", ca, "--cert-ttl", "1m", "--certificate-recheck", "1s", "--cert-renewal-point", "0.1",
        ])
        var status = JSON.null
        let issued = try poll(seconds: 15, every: 0.05) {
            status = try reconciler.status()
            return [a.name, b.name].allSatisfy { Self.line(status, $0)?["certificate"]?["serial"]?.text != nil }
        }
        try #require(issued, "\(status.rendered())\n\(reconciler.context)\n\(a.agent?.context ?? "")")
        #expect(a.serves("/", "foo"), "snapshots still flow\n\(reconciler.context)")
        #expect(!status.rendered().contains("PRIVATE KEY"))
        let first = try #require(Self.line(status, a.name)?["certificate"])
        #expect(first["identity"]?.text == "spiffe://cluster.local/ns/istio-system/sa/gw-a", "\(first.rendered())")
        #expect(first["expiry"]?.text != nil)
        #expect(Self.line(status, a.name)?["certificateError"] == .null)

        for gateway in [a, b] {
            let agent = try #require(gateway.agent)
            let certs = agent.stateDirectory.appendingPathComponent("certs")
            #expect(Self.mode(certs.appendingPathComponent("key.pem")) == 0o600)
            // As root, Envoy runs as nobody: the SDS files are root:<its group> 0640; otherwise the agent's own.
            let root = geteuid() == 0
            #expect(Self.mode(certs.appendingPathComponent("default.json")) == (root ? 0o640 : 0o600), "holds the key inline")
            #expect(Self.mode(certs.appendingPathComponent("ROOTCA.json")) == (root ? 0o640 : 0o644))
            #expect(FileManager.default.fileExists(atPath: certs.appendingPathComponent("cert-chain.pem").path))
            #expect(FileManager.default.fileExists(atPath: certs.appendingPathComponent("root-cert.pem").path))
            // The SDS file serves the serial the reconciler reports now (a renewal is due ~6 s after issuance).
            #expect(poll(seconds: 5, every: 0.05) {
                let serial = (try? reconciler.status()).flatMap { Self.line($0, gateway.name)?["certificate"]?["serial"]?.text }
                return serial != nil && Self.secretVersion(agent.stateDirectory) == serial
            }, "\(agent.context)")
            // Enrolled: the API moves to mTLS a moment after the certificate is installed (the answer goes out
            // first), then plain HTTP with the bearer token gets nothing.
            #expect(poll(seconds: 10, every: 0.05) { agent.process.outputContains("serving the API over mTLS") }, "\(agent.context)")
            #expect((try? agent.request("GET", "/v1/state"))?.status != 200)
        }
        let enrollments = try String(contentsOfFile: ca + "/enrollments.json", encoding: .utf8)
        #expect(enrollments.components(separatedBy: "\"used\"").count == 3, "both tokens spent: \(enrollments)")

        // Rotation: a new serial (renewal proved by the current certificate) at a tenth of a minute.
        let started = Date()
        let rotated = try poll(seconds: 20, every: 0.1) {
            status = try reconciler.status()
            let serial = Self.line(status, a.name)?["certificate"]?["serial"]?.text
            return serial != nil && serial != first["serial"]?.text
        }
        #expect(rotated, "\(status.rendered())\n\(reconciler.context)")
        print("identity e2e: certificate rotated after \(Int(Date().timeIntervalSince(started) * 1000)) ms")
        #expect(poll(seconds: 2) { Self.secretVersion(a.agent!.stateDirectory) == Self.line(status, a.name)?["certificate"]?["serial"]?.text })

        // A commit points gw-b's agent.address at gw-a's agent: its certificate names gw-a, nothing is sent.
        files["mesh/proxies.yaml"] = proxies(a.agentPort)
        try repo.commit("gw-b's agent.address at gw-a's agent", files)
        let unverified = try poll(seconds: 10, every: 0.05) {
            status = try reconciler.status()
            let line = Self.line(status, b.name)
            return line?["lastError"]?.text?.contains("unverified agent: 127.0.0.1:\(a.agentPort) presented spiffe://cluster.local/ns/istio-system/sa/gw-a") == true
                && line?["certificateError"]?.text?.contains("unverified agent") == true
        }
        #expect(unverified, "\(status.rendered())")
        #expect(Self.line(status, b.name)?["state"]?.text == "unreachable")
        #expect(a.serves("/", "foo"), "gw-a keeps its own snapshot")

        // Then at a listener that records what it gets: a TLS hello, a state read without the token, nothing more.
        let recorder = try Recorder()
        defer { recorder.stop() }
        files["mesh/proxies.yaml"] = proxies(recorder.port)
        try repo.commit("gw-b's agent.address at a recorder", files)
        // Whichever request of the round meets the recorder first says it (a push that finds the
        // connection already closed reports it unreachable; the certificate round names the cause).
        let recorded = try poll(seconds: 10, every: 0.05) {
            status = try reconciler.status()
            let line = Self.line(status, b.name)
            return [line?["lastError"], line?["certificateError"]].contains {
                $0?.text?.contains("unverified agent: 127.0.0.1:\(recorder.port) does not serve mTLS") == true
            }
        }
        #expect(recorded, "\(status.rendered())")
        // The reconciler asks again every round: wait for a whole request (a stray connection's bytes can land first).
        #expect(poll(seconds: 10, every: 0.1) { recorder.received.contains("GET /v1/state") }, "\(recorder.received)")
        #expect(!recorder.received.contains(token) && !recorder.received.lowercased().contains("authorization"), "\(recorder.received)")

        // Then at another agent holding gw-b's spent token: it enrolls, and is refused.
        let impostor = try bed.agent(proxy: b.name, token: token, state: "impostor", arguments: ["--enroll-token-file", enrollment[b.name]!])
        files["mesh/proxies.yaml"] = proxies(impostor.port)
        try repo.commit("gw-b's agent elsewhere", files)
        let refused = try poll(seconds: 10, every: 0.05) {
            status = try reconciler.status()
            let line = Self.line(status, b.name)
            return line?["agent"]?.text == "127.0.0.1:\(impostor.port)"
                && line?["certificateError"]?.text?.contains("certificate not issued: the enrollment token of proxy gw-b was used already") == true
        }
        #expect(refused, "\(status.rendered())")
        #expect(Self.line(status, b.name)?["certificate"] == .null)
        #expect(!FileManager.default.fileExists(atPath: impostor.stateDirectory.appendingPathComponent("certs/default.json").path))
        #expect(try impostor.request("GET", "/v1/state", token: .some(nil)).status == 200, "an enrolling agent answers its state without a token")
        #expect(try impostor.request("GET", "/v1/snapshot").status == 403, "and nothing else, even with it")

        // SIGTERM ends an agent cleanly in either mode.
        #expect(impostor.process.stop() == 0, "\(impostor.context)")
        #expect(a.agent!.process.stop() == 0, "\(a.agent!.context)")
    }
}
