import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MeshAgent

/// `meshc reconcile` and `meshc apply` end to end: a real git repository
/// (the `git` CLI), real `meshc agent`s with their Envoys, `meshc echo` backends.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct ReconcileTests {
    typealias R = ReconcileManifests

    /// One declared gateway: its ports and its running agent.
    struct Gateway {
        let name: String
        let listener: Int
        let admin: Int
        let agentPort: Int
        var agent: AgentProcess?

        init(_ name: String) throws {
            self.name = name
            (listener, admin, agentPort) = try (Ports.free(), Ports.free(), Ports.free())
        }

        var manifest: String { R.gatewayProxy(name, listener: listener, admin: admin, agent: agentPort) + "\n" }

        /// Starts (or restarts) its agent on the declared port.
        mutating func start(_ bed: TestBed, token: String) throws {
            agent = try bed.agent(proxy: name, port: agentPort, adminPort: admin, token: token, state: "agents/\(name)")
        }

        /// What `path` answers through this gateway now (nil: no answer).
        func get(_ path: String) -> String? {
            (try? HTTPConnection.get(port: listener, path, timeout: 2)).map { $0.status == 200 ? $0.text : "status \($0.status)" }
        }

        /// Polls until `path` answers `text` (plus newline).
        func serves(_ path: String, _ text: String, within seconds: Double = 10) -> Bool {
            poll(seconds: seconds, every: 0.01) { get(path) == text + "\n" }
        }
    }

    @Test func commitsReachTheGatewayOnTheWebhookAndBadCommitsAreNeverApplied() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        var gateway = try Gateway("ingressgateway")
        try gateway.start(bed, token: token)
        let repo = try GitFixture(in: bed.folder)
        var files = R.scenario(foo: foo.port, bar: bar.port, pathRouting: false)
        files["mesh/proxies.yaml"] = gateway.manifest
        try repo.commit("S1", files)

        // A long interval: only the first poll and the webhook bring changes.
        let reconciler = try bed.reconciler(repo: repo, token: token, interval: "60s")
        #expect(gateway.serves("/", "foo"), "\(reconciler.context)\n\(gateway.agent?.context ?? "")")
        #expect(try poll(seconds: 5) { try reconciler.state("ingressgateway") == "inSync" }, "\(reconciler.statusText)")

        #expect(try reconciler.hook(token: "wrong").status == 401)
        try repo.commit("S2", R.scenario(foo: foo.port, bar: bar.port, pathRouting: true))
        let committed = Date()
        #expect(try reconciler.hook().status == 202)
        #expect(gateway.serves("/bar", "bar", within: 2), "S2 within 2 s of the webhook\n\(reconciler.context)")
        let seconds = Date().timeIntervalSince(committed)
        #expect(gateway.get("/hoge") == "foo\n")
        // The reconciler delivered the first commit itself: the second travels as a delta. (Envoy
        // serves the new route at the routes stage; the agent logs once every stage is confirmed.)
        let delta = try poll(seconds: 10) { gateway.agent?.process.outputContains("from a delta") == true }
        #expect(delta, "\(gateway.agent?.context ?? "")")
        let good = try repo.git("rev-parse", "HEAD")
        print("reconcile e2e: commit → /bar answers bar in \(Int(seconds * 1000)) ms")

        // A manifest with an unknown field: lint error IST0106, never applied.
        try repo.commit("broken", ["mesh/broken.yaml": """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: broken
              namespace: default
            spec:
              host: http-echo-bar
              trafficPolicy:
                noSuchField: 1

            """])
        try reconciler.hook()
        var status = JSON.null
        let recorded = try poll(seconds: 5) {
            status = try reconciler.status()
            return status["lastError"]?.text?.contains("mesh/broken.yaml:9") == true
        }
        #expect(recorded, "lastError names the file and line: \(status.rendered())")
        #expect(status["lastGoodCommit"]?.text == good)
        #expect(status["commit"]?.text != good)
        #expect(gateway.get("/bar") == "bar\n", "the last good config still serves")
        #expect(try reconciler.state("ingressgateway") == "inSync")

        let metrics = try HTTPConnection.get(port: reconciler.port, "/metrics").text
        #expect(metrics.contains("meshc_reconcile_applies_total{proxy=\"ingressgateway\"} 2"), "\(metrics)")
        #expect(metrics.contains("meshc_reconcile_bad_commits_total 1"))
        #expect(metrics.contains("meshc_reconcile_round_duration_seconds_count"))
        #expect(metrics.contains("meshc_reconcile_proxy_in_sync{proxy=\"ingressgateway\"} 1.0"), "\(metrics)")
        #expect(metrics.contains("# HELP meshc_reconcile_bad_commits_total "))
        #expect(try HTTPConnection.get(port: reconciler.port, "/healthz").status == 200)

        // meshc proxy-status reads the same status: the proxy in sync, the bad commit as the last error; exit 0.
        let listing = try Tools.meshc(["proxy-status", "--reconciler", "http://127.0.0.1:\(reconciler.port)"])
        #expect(listing.status == 0, "\(listing.stdout)\(listing.stderr)")
        #expect(listing.stdout.contains("ingressgateway") && listing.stdout.contains("inSync"), "\(listing.stdout)")
        #expect(listing.stdout.contains("last error: ") && listing.stdout.contains("mesh/broken.yaml:9"), "\(listing.stdout)")

        // SIGTERM mid-round (the webhook has just started one): a clean exit all the same.
        try repo.commit("fixed, back to S1", ["mesh/broken.yaml": nil].merging(R.scenario(foo: foo.port, bar: bar.port, pathRouting: false)) { $1 })
        try reconciler.hook()
        #expect(reconciler.process.stop() == 0, "\(reconciler.context)")
    }

    /// An agent that accepts connections and never answers holds up no other
    /// proxy longer than the read deadline (3 s), and is reported.
    @Test func aHangingAgentDelaysNoOtherProxyBeyondItsDeadline() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        var gateway = try Gateway("ingressgateway")
        try gateway.start(bed, token: token)
        let stuck = try Gateway("stuck-gateway")
        let hanging = try Loopback.hold(port: stuck.agentPort) // listens, never accepts: requests hang
        defer { close(hanging) }
        let repo = try GitFixture(in: bed.folder)
        var files = R.scenario(foo: foo.port, bar: bar.port, pathRouting: false)
        files["mesh/proxies.yaml"] = gateway.manifest + "---\n" + stuck.manifest
        try repo.commit("S1", files)
        let reconciler = try bed.reconciler(repo: repo, token: token, interval: "60s")
        #expect(gateway.serves("/", "foo"), "\(reconciler.context)")

        try repo.commit("S2", R.scenario(foo: foo.port, bar: bar.port, pathRouting: true))
        let committed = Date()
        #expect(try reconciler.hook().status == 202)
        #expect(gateway.serves("/bar", "bar", within: 6), "S2 despite the hanging agent\n\(reconciler.context)")
        let seconds = Date().timeIntervalSince(committed)
        #expect(seconds < 5, "at most the 3 s read deadline of the round in flight, plus the push: \(seconds) s")
        print("reconcile e2e: commit → /bar with a hanging agent beside: \(Int(seconds * 1000)) ms")
        var status = JSON.null
        #expect(try poll(seconds: 10) {
            status = try reconciler.status()
            let line = status["proxies"]?.items.first { $0["name"]?.text == "stuck-gateway" }
            return line?["state"]?.text == "unreachable" && line?["lastError"]?.text?.contains("no answer before the deadline") == true
        }, "\(status.rendered())")
    }

    @Test func killedAgentsAndAKilledReconcilerConvergeAndDriftIsReapplied() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        var a = try Gateway("gateway-a"), b = try Gateway("gateway-b")
        try a.start(bed, token: token)
        try b.start(bed, token: token)
        let repo = try GitFixture(in: bed.folder)
        var files = R.scenario(foo: foo.port, bar: bar.port, pathRouting: false)
        files["mesh/proxies.yaml"] = a.manifest + "---\n" + b.manifest
        try repo.commit("S1 on two gateways", files)

        var reconciler = try bed.reconciler(repo: repo, token: token, interval: "1s")
        #expect(a.serves("/bar", "foo") && b.serves("/bar", "foo"), "\(reconciler.context)")

        // Gateway b dies with its Envoy (SIGKILL both); S2 is committed meanwhile.
        let envoyB = try #require(try b.agent?.state().envoy.pid)
        kill(pid_t(envoyB), SIGKILL)
        kill(b.agent!.process.pid, SIGKILL)
        _ = b.agent!.process.wait(seconds: 5)
        try repo.commit("S2", R.scenario(foo: foo.port, bar: bar.port, pathRouting: true))
        try reconciler.hook()
        #expect(a.serves("/bar", "bar", within: 5), "the other gateway converges\n\(reconciler.context)")
        #expect(try poll(seconds: 5) { try reconciler.state("gateway-b") == "unreachable" }, "\(reconciler.statusText)")

        // b comes back running S1 (its state folder): drift, re-applied within the backoff (0.5 s doubling per
        // failed round while b was down, 30 s at most: on a slow machine b can be down for several rounds).
        try b.start(bed, token: token)
        #expect(b.serves("/bar", "bar", within: 40), "the restarted gateway converges\n\(reconciler.context)")

        // The reconciler is killed right after a new commit, mid-apply; a new one converges.
        try repo.commit("S1 again", R.scenario(foo: foo.port, bar: bar.port, pathRouting: false))
        try reconciler.hook()
        _ = poll(seconds: 2, every: 0.002) { a.get("/bar") == "foo\n" || b.get("/bar") == "foo\n" }
        kill(reconciler.process.pid, SIGKILL)
        _ = reconciler.process.wait(seconds: 5)
        reconciler = try bed.reconciler(repo: repo, token: token, interval: "1s", name: "meshc-reconcile-2")
        #expect(a.serves("/bar", "foo") && b.serves("/bar", "foo"), "\(reconciler.context)")

        // Drift: gateway a restarts with an empty state folder; the next poll re-applies.
        a.agent?.process.stop()
        try FileManager.default.removeItem(at: try #require(a.agent?.stateDirectory))
        try a.start(bed, token: token)
        #expect(a.serves("/bar", "foo", within: 10), "drift re-applied\n\(reconciler.context)")
        let converged = try poll(seconds: 5) {
            try reconciler.status()["proxies"]?.items.allSatisfy { $0["state"]?.text == "inSync" } == true
        }
        #expect(converged, "\(reconciler.statusText)")
    }

    /// A config `envoy --mode validate` passes but the running Envoy rejects
    /// (its listener port is taken): reported in /status with Envoy's reason,
    /// the proxy keeps what it had, the others converge; a fixing commit heals it.
    @Test func aConfigTheRunningEnvoyRejectsIsReportedAndHealsOnTheNextCommit() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        var first = try Gateway("gateway-a"), second = try Gateway("gateway-b")
        try first.start(bed, token: token)
        try second.start(bed, token: token)
        let repo = try GitFixture(in: bed.folder)
        var files = R.scenario(foo: foo.port, bar: bar.port, pathRouting: true)
        files["mesh/proxies.yaml"] = first.manifest
        try repo.commit("gateway-a", files)
        let reconciler = try bed.reconciler(repo: repo, token: token, interval: "60s")
        #expect(first.serves("/bar", "bar"), "\(reconciler.context)")
        // gateway-b asks for gateway-a's listener port: validate mode binds nothing, the running Envoy cannot.
        try repo.commit("b clashes with a", ["mesh/proxies.yaml": first.manifest + "---\n"
            + R.gatewayProxy(second.name, listener: first.listener, admin: second.admin, agent: second.agentPort) + "\n"])
        try reconciler.hook()
        var status = JSON.null
        let reported = try poll(seconds: 10) {
            status = try reconciler.status()
            let b = status["proxies"]?.items.first { $0["name"]?.text == "gateway-b" }
            return b?["state"]?.text == "failed" && (b?["lastError"]?.text ?? "").isEmpty == false
        }
        #expect(reported, "gateway-b's rejection is in /status: \(status.rendered())")
        #expect(try reconciler.state("gateway-a") == "inSync")
        #expect(try second.agent?.state().lastRejection != nil, "the agent recorded Envoy's reason")

        try repo.commit("b on its own port", ["mesh/proxies.yaml": first.manifest + "---\n" + second.manifest])
        try reconciler.hook()
        #expect(second.serves("/bar", "bar"), "gateway-b converges after the fix\n\(reconciler.statusText)")
        #expect(try poll(seconds: 10) { try reconciler.state("gateway-b") == "inSync" }, "\(reconciler.statusText)")
    }

    @Test func applyPushesToReachableProxiesAndReportsTheUnreachableOne() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let foo = try bed.echo(text: "foo"), bar = try bed.echo(text: "bar")
        var up = try Gateway("gateway-up")
        let down = try Gateway("gateway-down") // no agent listens on its port
        try up.start(bed, token: token)
        var files = R.scenario(foo: foo.port, bar: bar.port, pathRouting: true)
        files["mesh/proxies.yaml"] = up.manifest + "---\n" + down.manifest
        for (name, text) in files { if let text { try bed.write("manifests/\(name)", text) } }
        let tokenFile = try bed.write("apply-token", token)
        let arguments = ["apply", "--token-file", tokenFile, "--envoy", Tools.envoy!, bed.folder.appendingPathComponent("manifests").path]

        // --dry-run: plans and validates, pushes nothing.
        let dry = try Tools.meshc(arguments + ["--dry-run", "--proxy", "gateway-up"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stderr.contains("gateway-up: would apply (dry run)"))
        #expect(try up.agent?.state().snapshotVersion == nil, "a dry run pushes nothing")

        let first = try Tools.meshc(arguments)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stderr.contains("gateway-up: applied"), "\(first.stderr)")
        #expect(first.stderr.contains("gateway-down: unreachable: 127.0.0.1:\(down.agentPort)"), "\(first.stderr)")
        #expect(first.stdout.contains("proxy gateway-up (new):") || first.stdout.contains("proxy gateway-up:"), "the plan: \(first.stdout)")
        #expect(up.serves("/bar", "bar"))

        let second = try Tools.meshc(["apply", "--proxy", "gateway-up"] + arguments.dropFirst())
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("gateway-up: unchanged"), "\(second.stderr)")

        // meshc plan --running reads what the agents run: an unreachable agent is an error naming it…
        let manifests = bed.folder.appendingPathComponent("manifests").path
        let unreachable = try Tools.meshc(["plan", "--running", "--token-file", tokenFile, manifests])
        #expect(unreachable.status == 1, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("the agent of gateway-down"))
        // …and what apply pushed plans as no change.
        try bed.write("manifests/mesh/proxies.yaml", up.manifest)
        let synced = try Tools.meshc(["plan", "--running", "--token-file", tokenFile, manifests])
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout == "No changes.\n")
    }
}
