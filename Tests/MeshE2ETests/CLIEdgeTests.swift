import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Small things users hit on the command line: help that reads, usage
/// errors naming the real mistake, a bind error naming the address,
/// `reconcile` taking lint's input limit.
@Suite struct CLIEdgeTests {
    /// Help is printed 80 columns wide when not on a terminal: no line is
    /// longer, and an indented example is never wrapped into the prose
    /// (the line after one is indented or blank).
    @Test(arguments: ["route", "plan"])
    func helpReadsAt80Columns(_ command: String) throws {
        let run = try Tools.meshc([command, "--help"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines { #expect(line.count <= 80, "\(line.count) columns: \(line)") }
        for (line, next) in zip(lines, lines.dropFirst()) where line.hasPrefix("  meshc ") {
            #expect(next.isEmpty || next.hasPrefix("  "), "an example wrapped into the prose: \(line) / \(next)")
        }
        #expect(lines.contains { $0.hasPrefix("  meshc \(command) --") }, "the examples are on lines of their own")
        #expect(!run.stdout.contains("). (default:"), "a default said twice")
        #expect(!run.stdout.contains("<base-dir>") && !run.stdout.contains("<H>"), "values named by their flag")
    }

    /// IST0136 is off by default, as in istioctl; `--enable IST0136` turns it on; `--enable` of any other code is a usage error.
    @Test func optInChecksRunOnlyWhenEnabled() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-enable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("deployment.yaml")
        try """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata:
                  labels: {app: web, version: v1}
                  annotations: {sidecar.istio.io/proxyCPU: 100m}
                spec:
                  containers: [{name: web, image: nginx}]
            """.write(to: file, atomically: true, encoding: .utf8)
        let quiet = try Tools.meshc(["lint", file.path])
        #expect(quiet.status == 0 && !quiet.stdout.contains("IST0136"), "\(quiet.stdout)")
        let enabled = try Tools.meshc(["lint", "--enable", "IST0136", file.path])
        #expect(enabled.status == 0 && enabled.stdout.contains("deployment.yaml:9:") && enabled.stdout.contains("IST0136 AlphaAnnotation"),
                "\(enabled.stdout)")
        let wrong = try Tools.meshc(["lint", "--enable", "IST0101", file.path])
        #expect(wrong.status == 2 && wrong.stderr.contains("not a check that is off by default"), "\(wrong.stderr)")
        #expect(try Tools.meshc(["lint", "--list-analyzers"]).stdout.contains("off by default: --enable IST0136"))
    }

    /// `meshc build` writes a proxy's files side by side; one it cannot
    /// write (a folder in its place) is named with the system's reason, the
    /// folder is said to be incomplete, and the exit is 2. Written again
    /// once the path is free, the output is whole and the same as a build into a fresh folder.
    @Test func aBuildFileThatCannotBeWrittenIsNamed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-build-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let blocked = root.appendingPathComponent("blocked/ingressgateway/clusters.json/inside")
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        let failed = try Tools.meshc(["build", "--out", root.appendingPathComponent("blocked").path, "samples/s1-ingress"])
        #expect(failed.status == 2, "\(failed.stderr)")
        #expect(failed.stderr.contains("cannot write ") && failed.stderr.contains("ingressgateway/clusters.json: Is a directory"),
                "\(failed.stderr)")
        #expect(failed.stderr.contains("is incomplete"), "\(failed.stderr)")
        try FileManager.default.removeItem(at: blocked.deletingLastPathComponent())
        #expect(try Tools.meshc(["build", "--out", root.appendingPathComponent("blocked").path, "samples/s1-ingress"]).status == 0)
        #expect(try Tools.meshc(["build", "--out", root.appendingPathComponent("fresh").path, "samples/s1-ingress"]).status == 0)
        let folder = { (name: String) in root.appendingPathComponent("\(name)/ingressgateway") }
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder("fresh").path).sorted()
        #expect(names.contains("clusters.json") && names.contains("routes/http.80.json") && !names.contains("routes.json") && names.contains("bootstrap.json"), "\(names)")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder("blocked").path).sorted() == names)
        for name in names where name.hasSuffix(".json") && name != "bootstrap.json" && name != "listeners.json" {
            // Bootstrap and listeners name the folder they were built into; the rest is the same bytes.
            #expect(try Data(contentsOf: folder("blocked").appendingPathComponent(name)) == Data(contentsOf: folder("fresh").appendingPathComponent(name)),
                    "\(name)")
        }
    }

    /// Two builds into one folder at once would remove each other's route
    /// files: while one holds the folder (its `.meshc-build.lock`), another
    /// stops with exit 2, names the folder and writes nothing; once it is
    /// released the build goes through. A link planted at the lock's name is
    /// not followed.
    @Test func aSecondBuildIntoTheSameFolderAtOnceIsRefused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-build-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let held = open(out.appendingPathComponent(".meshc-build.lock").path, O_CREAT | O_RDWR, 0o644)
        #expect(held >= 0 && flock(held, LOCK_EX | LOCK_NB) == 0)
        let refused = try Tools.meshc(["build", "--out", out.path, "samples/s1-ingress"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("another meshc build is writing \(out.path)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("ingressgateway").path))
        close(held)
        #expect(try Tools.meshc(["build", "--out", out.path, "samples/s1-ingress"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("ingressgateway/clusters.json").path))
        // A link at the lock's name (to a file elsewhere) is refused, not followed.
        let linked = root.appendingPathComponent("linked")
        try FileManager.default.createDirectory(at: linked, withIntermediateDirectories: true)
        let target = root.appendingPathComponent("target")
        try Data("keep".utf8).write(to: target)
        #expect(symlink(target.path, linked.appendingPathComponent(".meshc-build.lock").path) == 0)
        let viaLink = try Tools.meshc(["build", "--out", linked.path, "samples/s1-ingress"])
        #expect(viaLink.status == 2 && viaLink.stderr.contains(".meshc-build.lock"), "\(viaLink.stderr)")
        #expect(try Data(contentsOf: target) == Data("keep".utf8))
    }

    /// A commit names the folders `meshc build` writes: a proxy named like a
    /// path is refused by lint before anything is written, and a route
    /// configuration or secret name cannot leave its folder (`RouteSource.escaped`,
    /// `SnapshotTests.routeFilesStayInsideTheirFolder`).
    @Test func aProxyNamedLikeAPathWritesNothing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-build-name-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let manifests = root.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Repository.root.appendingPathComponent("samples/s1-ingress"), to: manifests)
        let proxies = manifests.appendingPathComponent("proxies.yaml")
        let text = try String(contentsOf: proxies, encoding: .utf8)
        #expect(text.contains("  name: ingressgateway\n"))
        try text.replacingOccurrences(of: "  name: ingressgateway\n", with: "  name: \"../../escape\"\n").write(to: proxies, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("out/a/b")
        let run = try Tools.meshc(["build", "--out", out.path, manifests.path])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stdout.contains("not a valid DNS-1123 subdomain"), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("escape").path))
    }

    @Test func buildAndPlanNameAnUnknownOption() throws {
        let build = try Tools.meshc(["build", "--bogus"])
        #expect(build.status == 2 && build.stderr.contains("Unknown option '--bogus'"), "\(build.stderr)")
        let bare = try Tools.meshc(["build"])
        #expect(bare.status == 2 && bare.stderr.contains("name the files or folders to build"), "\(bare.stderr)")
        #expect(bare.stderr.contains("Usage: meshc build"), "\(bare.stderr)")
        let plan = try Tools.meshc(["plan", "--bogus"])
        #expect(plan.status == 1 && plan.stderr.contains("Unknown option '--bogus'"), "\(plan.stderr)")
        let nothing = try Tools.meshc(["plan"])
        #expect(nothing.status == 1 && nothing.stderr.contains("name what to compare") && nothing.stderr.contains("Usage: meshc plan"),
                "\(nothing.stderr)")
    }

    @Test func reconcileTakesLintsMaxFileSize() throws {
        let lint = try Tools.meshc(["lint", "--help"]).stdout, reconcile = try Tools.meshc(["reconcile", "--help"]).stdout
        /// The help lines of `--max-file-size`: its own and the indented ones under it.
        func option(_ help: String) -> [Substring] {
            let lines = help.split(separator: "\n")
            guard let start = lines.firstIndex(where: { $0.hasPrefix("  --max-file-size") }) else { return [] }
            return [lines[start]] + lines[(start + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("-") }
        }
        #expect(option(lint).joined().contains("(default: 16777216)"), "\(lint)")
        #expect(option(lint) == option(reconcile), "\(reconcile)")
        let zero = try Tools.meshc(["reconcile", "--repo", ".", "--token-file", "t", "--max-file-size", "0"])
        #expect(zero.status == 2 && zero.stderr.contains("--max-file-size and --max-documents must be positive"), "\(zero.stderr)")
    }
}

/// The same with processes that start Envoy.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct CLIEdgeE2ETests {
    @Test func theAgentsBindErrorNamesTheAddress() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let port = try Ports.free()
        let held = try Loopback.hold(port: port)
        defer { close(held) }
        let token = try bed.write("token", String(repeating: "t", count: 40) + "\n")
        let run = try Tools.meshc(["agent", "--proxy", "p", "--state-dir", bed.folder.appendingPathComponent("state").path,
                                   "--admin-port", String(try Ports.free()), "--listen", "127.0.0.1:\(port)", "--token-file", token,
                                   "--concurrency", "1"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("meshc agent: cannot listen on 127.0.0.1:\(port) (--listen): address already in use"), "\(run.stderr)")
    }

    /// `--max-file-size` means for `reconcile` what it means for `lint`: a larger manifest is MSH0003 and the commit is not applied.
    @Test func reconcileRefusesAFileOverItsMaxFileSize() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let repo = try GitFixture(in: bed.folder)
        defer { repo.remove() }
        let padding = (0..<20).map { "# padding line \($0) to make this file larger than the limit\n" }.joined()
        try repo.commit("a service", ["mesh/service.yaml": padding + ScenarioManifests.service("web")])
        let small = try bed.reconciler(repo: repo, token: String(repeating: "k", count: 40), interval: "1s", name: "small", arguments: ["--max-file-size", "500"])
        var status: JSON?
        #expect(poll(seconds: 20, every: 0.1) {
            status = try? small.status()
            return status?["lastError"]?.text != nil
        }, "\(small.statusText)\n\(small.context)")
        let error = status?["lastError"]?.text ?? ""
        #expect(error.contains("MSH0003") && error.contains("over the 500-byte limit"), "\(error)")
        #expect(status?["lastBuiltCommit"] == .null)
    }
}
