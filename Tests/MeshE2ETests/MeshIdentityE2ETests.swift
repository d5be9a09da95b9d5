import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// Both halves of mesh identity together (issue 10): `meshc reconcile --ca-dir`
/// issues the sidecars' certificates through their enrolled agents, and the
/// sidecars serve STRICT mTLS with them — through rotation under load, a CA
/// outage, and `meshc apply` / `meshc plan --running` over the same mTLS.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct MeshIdentityE2ETests {
    static let frontendID = MTLSTests.frontendID
    static let host = "backend.default.svc.cluster.local"

    /// The frontend and backend sidecars, each run by an agent started with an enrollment token.
    struct Mesh {
        let bed: TestBed
        let ca: String
        let token = UUID().uuidString
        let backend: Int
        let outbound: Int, inbound: Int, backendOutbound: Int
        let frontend: AgentProcess, backendAgent: AgentProcess

        init(_ bed: TestBed) throws {
            self.bed = bed
            ca = bed.folder.appendingPathComponent("ca").path
            let initialized = try Tools.meshc(["ca", "init", "--dir", ca])
            guard initialized.status == 0 else { throw HarnessError("meshc ca init: \(initialized.stderr)") }
            backend = try MTLSTests.Mesh.echo(bed)
            let ports = try Ports.free(3)
            (outbound, inbound, backendOutbound) = (ports[0], ports[1], ports[2])
            var agents: [AgentProcess] = []
            for name in ["frontend-sidecar", "backend-sidecar"] {
                let made = try Tools.meshc(["ca", "enroll", "--dir", ca, "--proxy", name, "--ttl", "10m"])
                guard made.status == 0 else { throw HarnessError("meshc ca enroll: \(made.stderr)") }
                let file = try bed.writeOwnerOnly("\(name)-enroll-token", made.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "\n")
                agents.append(try bed.agent(proxy: name, token: token, state: "\(name)/state", arguments: ["--enroll-token-file", file]))
            }
            (frontend, backendAgent) = (agents[0], agents[1])
        }

        /// The repository's manifests: both sidecars (with their agents), the workloads and PeerAuthentication `mode`.
        func manifests(mode: String) -> String {
            ScenarioManifests.join([
                ScenarioManifests.service("backend"),
                ScenarioManifests.workload("backend-v1", app: "backend", port: backend, serviceAccount: "backend"),
                ScenarioManifests.service("frontend"),
                ScenarioManifests.workload("frontend-v1", app: "frontend", port: 9, serviceAccount: "frontend"),
                ScenarioManifests.sidecar("frontend-sidecar", workload: "frontend-v1", outbound: outbound, admin: frontend.adminPort, agent: frontend.port, inbound: nil),
                ScenarioManifests.sidecar("backend-sidecar", workload: "backend-v1", outbound: backendOutbound, admin: backendAgent.adminPort, agent: backendAgent.port, inbound: (backend, inbound)),
                MTLSTests.peerAuthentication(mode),
            ]) + "\n"
        }

        /// GET / through the frontend's sidecar.
        func viaFrontend(timeout: Double = 5) throws -> HTTPResponse {
            try HTTPConnection(port: outbound, timeout: timeout).request("GET", "/", headers: [("Host", host)])
        }
    }

    /// Requests through the frontend's sidecar in a loop on its own thread, counted by status.
    final class MeshLoad: @unchecked Sendable {
        private let lock = NSLock()
        private var statuses: [Int: Int] = [:]
        private var failures: [String] = []
        private var running = true
        private let done = DispatchSemaphore(value: 0)

        init(_ mesh: Mesh) {
            Thread.detachNewThread { [self] in
                while lock.withLock({ running }) {
                    do {
                        let response = try mesh.viaFrontend(timeout: 3)
                        lock.withLock {
                            statuses[response.status, default: 0] += 1
                            if response.status != 200, failures.count < 5 { failures.append("\(response.status) \(response.text.prefix(200))") }
                        }
                    } catch {
                        lock.withLock {
                            statuses[0, default: 0] += 1
                            if failures.count < 5 { failures.append("\(error)") }
                        }
                    }
                }
                done.signal()
            }
        }

        /// Stops the loop: the count of each status (0: no answer) and the first failures.
        func stop() -> (statuses: [Int: Int], failures: [String]) {
            lock.withLock { running = false }
            done.wait()
            return lock.withLock { (statuses, failures) }
        }
    }

    static func serial(_ status: JSON, _ name: String) -> String? {
        IdentityTests.line(status, name)?["certificate"]?["serial"]?.text
    }

    @Test func rotationUnderLoadAndACAOutageKeepStrictMTLSServing() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        let repo = try GitFixture(in: bed.folder)
        try repo.commit("two sidecars, STRICT", ["mesh/mesh.yaml": mesh.manifests(mode: "STRICT")])
        let reconciler = try bed.reconciler(repo: repo, token: mesh.token, interval: "1s", arguments: [
            "--ca-dir", mesh.ca, "--cert-ttl", "1m", "--certificate-recheck", "1s", "--cert-renewal-point", "0.1",
        ])
        let names = ["frontend-sidecar", "backend-sidecar"]
        var status = JSON.null
        var response: HTTPResponse?
        let serving = try poll(seconds: 30, every: 0.1) {
            status = try reconciler.status()
            guard names.allSatisfy({ Self.serial(status, $0) != nil }) else { return false }
            response = try? mesh.viaFrontend(timeout: 2)
            return response?.status == 200
        }
        try #require(serving, "\(status.rendered())\n\(reconciler.context)\n\(mesh.frontend.context)\n\(mesh.backendAgent.context)")
        let xfcc = MTLSTests.xfccLine(response!) ?? ""
        #expect(xfcc.contains("URI=\(Self.frontendID)"), "the backend's XFCC: \(xfcc)")
        #expect(xfcc.contains("By=\(MTLSTests.backendID)"), "the backend's XFCC: \(xfcc)")
        #expect(IdentityTests.line(status, "frontend-sidecar")?["certificate"]?["identity"]?.text == Self.frontendID)
        // STRICT: a client without a sidecar gets nothing from the backend's sidecar.
        let plain = try? HTTPConnection(port: mesh.inbound, timeout: 3).request("GET", "/", headers: [("Host", "backend")])
        #expect(plain == nil || plain?.status != 200, "plain text served under STRICT: \(plain?.text ?? "")")

        // Rotation of both certificates (renewed at a tenth of a minute) while the load loop runs.
        let first = Dictionary(uniqueKeysWithValues: names.map { ($0, Self.serial(status, $0)) })
        let load = MeshLoad(mesh)
        let started = Date()
        let rotated = try poll(seconds: 30, every: 0.1) {
            status = try reconciler.status()
            return names.allSatisfy { Self.serial(status, $0) != nil && Self.serial(status, $0) != first[$0] }
        }
        let rotatedAfter = Date().timeIntervalSince(started)
        // Envoy has the new certificates (SDS file version = serial), and the loop runs on a while with them.
        let installed = poll(seconds: 5) {
            IdentityTests.secretVersion(mesh.frontend.stateDirectory) == Self.serial(status, "frontend-sidecar")
                && IdentityTests.secretVersion(mesh.backendAgent.stateDirectory) == Self.serial(status, "backend-sidecar")
        }
        Thread.sleep(forTimeInterval: 2)
        let (statuses, failures) = load.stop()
        #expect(rotated, "no new serial for both proxies\n\(status.rendered())\n\(reconciler.context)")
        #expect(installed, "the SDS files do not hold the serials /status shows")
        let total = statuses.values.reduce(0, +)
        print("mesh identity e2e: both certificates rotated after \(Int(rotatedAfter * 1000)) ms; \(total) requests under load: \(statuses)")
        #expect(total > 50 && statuses.keys.allSatisfy { $0 == 200 }, "failed requests during rotation: \(statuses) \(failures)")
        let after = try mesh.viaFrontend()
        #expect(after.status == 200 && MTLSTests.xfccLine(after)?.contains("URI=\(Self.frontendID)") == true, "after rotation: \(after.text)")

        // CA outage: the key moved away. Renewals fail and /status says so; the sidecars keep serving.
        let key = mesh.ca + "/ca-key.pem", away = mesh.ca + "/ca-key.pem.away"
        try FileManager.default.moveItem(atPath: key, toPath: away)
        var reported: String?
        let outage = try poll(seconds: 20, every: 0.1) {
            status = try reconciler.status()
            reported = IdentityTests.line(status, "frontend-sidecar")?["certificateError"]?.text
            // Waits for the outage's own error: a slow round's transient one ("no answer before the deadline") may come first.
            return reported?.contains("the CA cannot be used") == true
        }
        #expect(outage, "no certificateError during the CA outage\n\(status.rendered())")
        print("mesh identity e2e: certificateError during the CA outage: \(reported ?? "none")")
        #expect(reported?.contains("the CA cannot be used") == true && reported?.contains("keeps its current certificate") == true, "\(reported ?? "")")
        #expect(Self.serial(status, "frontend-sidecar") != nil, "the current certificate stays in /status")
        let during = try mesh.viaFrontend()
        #expect(during.status == 200 && MTLSTests.xfccLine(during)?.contains("URI=\(Self.frontendID)") == true,
                "the sidecars stopped serving during the CA outage: \(during.status) \(during.text)")

        // The key back: the next renewal succeeds and the error clears.
        try FileManager.default.moveItem(atPath: away, toPath: key)
        let recovered = try poll(seconds: 20, every: 0.1) {
            status = try reconciler.status()
            return IdentityTests.line(status, "frontend-sidecar")?["certificateError"] == .null
        }
        #expect(recovered, "certificateError stays after the CA is back\n\(status.rendered())")
        #expect(try mesh.viaFrontend().status == 200)
    }

    @Test func applyAndPlanRunningReachEnrolledAgentsWithTheCA() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let mesh = try Mesh(bed)
        let repo = try GitFixture(in: bed.folder)
        try repo.commit("two sidecars, STRICT", ["mesh/mesh.yaml": mesh.manifests(mode: "STRICT")])
        // The reconciler enrolls the agents (and applies); then it stops, and the operator's commands take over.
        let reconciler = try bed.reconciler(repo: repo, token: mesh.token, interval: "1s", arguments: ["--ca-dir", mesh.ca])
        var status = JSON.null
        let issued = try poll(seconds: 30, every: 0.1) {
            status = try reconciler.status()
            return ["frontend-sidecar", "backend-sidecar"].allSatisfy { Self.serial(status, $0) != nil && IdentityTests.line(status, $0)?["state"]?.text == "inSync" }
        }
        try #require(issued, "\(status.rendered())\n\(reconciler.context)")
        #expect(reconciler.process.stop() == 0)

        try repo.commit("PERMISSIVE", ["mesh/mesh.yaml": mesh.manifests(mode: "PERMISSIVE")])
        let tokenFile = try bed.writeOwnerOnly("operator-token", mesh.token + "\n")
        // Without --ca-dir: the enrolled agents serve mTLS only, plain HTTP reaches nothing.
        let plain = try Tools.meshc(["plan", "--running", "--token-file", tokenFile, "--repo", repo.root, "--head", "HEAD"])
        #expect(plain.status != 0, "plan --running without --ca-dir: \(plain.stdout)")

        let plan = try Tools.meshc(["plan", "--running", "--token-file", tokenFile, "--ca-dir", mesh.ca, "--repo", repo.root, "--head", "HEAD"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("backend-sidecar"), "the PERMISSIVE change is planned against the running agent: \(plan.stdout)")

        let apply = try Tools.meshc(["apply", "--repo", repo.root, "--token-file", tokenFile, "--ca-dir", mesh.ca])
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stderr.contains("backend-sidecar") && apply.stderr.contains("applied"), "\(apply.stderr)")
        // PERMISSIVE now runs: a plaintext client is served.
        let served = poll(seconds: 5) {
            (try? HTTPConnection(port: mesh.inbound, timeout: 2).request("GET", "/", headers: [("Host", "backend")]))?.status == 200
        }
        #expect(served, "plain text under PERMISSIVE after meshc apply --ca-dir")
        let again = try Tools.meshc(["plan", "--running", "--token-file", tokenFile, "--ca-dir", mesh.ca, "--repo", repo.root, "--head", "HEAD"])
        #expect(again.status == 0 && again.stdout.contains("No changes"), "\(again.stdout)\n\(again.stderr)")
    }
}
