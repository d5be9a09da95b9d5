import Foundation
import MeshTestSupport
import Testing

/// `make dist` (scripts/dist.sh) on a machine path without the Swift
/// toolchain: the .deb unpacked into a folder root and the tarball unpacked,
/// their meshc run with no /opt/swift on PATH or LD_LIBRARY_PATH; ldd names
/// no Swift library; the systemd units pass `systemd-analyze verify`; the
/// Kubernetes manifests pass kubernetes-validate (PyPI, schemas offline).
@Suite(.tags(.e2e), .serialized) struct DistTests {
    /// What dist.sh made, built once per test run (a static release build:
    /// minutes the first time) unless it is newer than everything it packs.
    static let dist = Result { try Dist.make() }

    /// A run of an unpacked meshc as on a machine without Swift.
    static func runWithoutSwift(_ executable: String, _ arguments: [String]) throws -> Subprocess.Result {
        try Subprocess.run(executable, arguments, in: Repository.root,
                           environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LD_LIBRARY_PATH": ""], timeout: 60)
    }

    @Test func theDebRunsVersionAndLintWithoutTheSwiftToolchain() throws {
        let root = try Self.dist.get().root
        let meshc = root.appendingPathComponent("usr/bin/meshc").path
        let version = try Self.runWithoutSwift(meshc, ["--version"])
        #expect(version.status == 0, "\(version.stderr)")
        // The same version and Envoy target as this build's meshc; the commit
        // is the one dist.sh wrote into its copy of the sources.
        let here = try Tools.meshc(["--version"]).stdout // meshc 0.14.0 (commit unknown), targets Envoy 1.40.0
        let head = try #require(here.range(of: " (commit ")), tail = try #require(here.range(of: "), targets Envoy "))
        #expect(version.stdout.hasPrefix(here[..<head.upperBound]) && version.stdout.hasSuffix(here[tail.lowerBound...]),
                "\(version.stdout)")
        #expect(!version.stdout.contains("(commit unknown)"), "\(version.stdout)")

        // Lint exercises libyaml and RE2 (and loads libgit2): the same report
        // as this build's meshc, S5's expected findings among it.
        var reports: [String: String] = [:]
        for sample in ["samples/s5-lint-errors", "samples/s1-ingress"] {
            let lint = try Self.runWithoutSwift(meshc, ["lint", sample])
            let reference = try Tools.meshc(["lint", sample])
            #expect(lint.status == reference.status && lint.stdout == reference.stdout, "\(lint.stdout)\(lint.stderr)")
            reports[sample] = lint.stdout
        }
        let s5 = reports["samples/s5-lint-errors", default: ""]
        let expected = try String(contentsOf: Repository.url("samples/s5-lint-errors/expected.txt"), encoding: .utf8)
        for line in expected.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ") // FILE:LINE CODE
            #expect(s5.contains("s5-lint-errors/\(parts[0]):") && s5.contains(" \(parts[1]) "), "\(line) missing from:\n\(s5)")
        }
    }

    @Test func lddNamesNoSwiftLibraryAndTheDebDependsOnDebiansLibraries() throws {
        let dist = try Self.dist.get()
        let meshc = dist.root.appendingPathComponent("usr/bin/meshc").path
        let ldd = try Self.runWithoutSwift("/usr/bin/ldd", [meshc])
        #expect(ldd.status == 0, "\(ldd.stderr)")
        for line in ldd.stdout.split(separator: "\n") {
            for banned in ["libswift", "libFoundation", "lib_Foundation", "libdispatch", "libBlocksRuntime", "/opt/swift", "not found"] {
                #expect(!line.contains(banned), "ldd: \(line)")
            }
        }
        for library in ["libyaml-0.so", "libgit2.so", "libre2.so", "libmimalloc.so"] {
            #expect(ldd.stdout.contains(library), "ldd names no \(library):\n\(ldd.stdout)")
        }
        let depends = try Subprocess.run("dpkg-deb", ["-f", dist.deb.path, "Depends"]).stdout
        for package in ["libyaml-0-2", "libgit2-", "libre2-", "libmimalloc", "libc6"] {
            #expect(depends.contains(package), "Depends: \(depends)")
        }
        #expect(try Subprocess.run("dpkg-deb", ["-f", dist.deb.path, "Architecture"]).stdout == "amd64\n")
    }

    @Test func theTarballRunsToo() throws {
        let dist = try Self.dist.get()
        let folder = try Dist.temporaryFolder("tar")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Subprocess.run("tar", ["-xzf", dist.tarball.path, "-C", folder.path]).status == 0)
        let top = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
        let base = folder.appendingPathComponent(top)
        for file in ["bin/meshc", "DEPENDS.txt", "share/doc/meshc/README.md", "examples/systemd/meshc-agent@.service",
                     "examples/kubernetes/deployment.yaml"] {
            #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent(file).path), "\(file)")
        }
        let version = try Self.runWithoutSwift(base.appendingPathComponent("bin/meshc").path, ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("meshc "), "\(version.stdout)\(version.stderr)")
    }

    /// verify needs every ExecStart binary to exist: the units as the .deb
    /// installs them, /usr/bin/meshc pointed at the unpacked one. verify exits
    /// 0 on unknown keys and bad values too, so any line about them fails.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "systemd-analyze is missing"))
    func theSystemdUnitsVerify() throws {
        let root = try Self.dist.get().root
        let units = try Dist.temporaryFolder("units")
        defer { try? FileManager.default.removeItem(at: units) }
        let meshc = root.appendingPathComponent("usr/bin/meshc").path
        let installed = root.appendingPathComponent("lib/systemd/system")
        let names = ["meshc-agent@.service", "meshc-reconcile.service"]
        for name in names {
            let text = try String(contentsOf: installed.appendingPathComponent(name), encoding: .utf8)
            #expect(text.contains("ExecStart=/usr/bin/meshc "))
            try text.replacingOccurrences(of: "/usr/bin/meshc", with: meshc)
                .write(to: units.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        // The template itself and an instance of it, as `systemctl start` would load them.
        try FileManager.default.copyItem(at: units.appendingPathComponent("meshc-agent@.service"),
                                        to: units.appendingPathComponent("meshc-agent@ingressgateway.service"))
        let verify = try Subprocess.run("/usr/bin/systemd-analyze",
                                        ["verify"] + (names + ["meshc-agent@ingressgateway.service"]).map { "./" + $0 }, in: units)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let complaints = (verify.stdout + verify.stderr).split(separator: "\n").filter { $0.contains("meshc") }
        #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")
    }

    static let kubernetesValidate = Repository.url(".venv/bin/kubernetes-validate").path

    /// Every manifest of examples/kubernetes against Kubernetes' own schemas,
    /// unknown fields refused (`--strict`).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: kubernetesValidate),
                   "kubernetes-validate is not installed in .venv: run scripts/setup.sh"))
    func theKubernetesManifestsMatchTheSchemas() throws {
        let folder = Repository.url("examples/kubernetes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == ["configmap.yaml", "deployment.yaml", "service.yaml"])
        let run = try Subprocess.run(Self.kubernetesValidate, ["--strict"] + files, in: folder)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        // One "passed" line per resource: nothing was skipped as unknown.
        #expect(run.stdout.components(separatedBy: " passed for resource ").count - 1 == files.count, "\(run.stdout)")
    }
}

/// The tarball and .deb scripts/dist.sh leaves in `.build-dist/dist/`.
struct Dist {
    static let folder = Repository.url(".build-dist/dist")
    /// What dist.sh packs: when any of it is newer than the .deb, dist.sh runs again.
    static let inputs = ["Package.swift", "Sources", "policies", "README.md", "examples/systemd", "examples/kubernetes", "scripts/dist.sh"]

    var deb: URL
    var tarball: URL
    /// The .deb unpacked with `dpkg-deb -x` (what `dpkg -i` would lay under /).
    var root: URL

    /// Runs dist.sh unless its output is newer than its inputs, then unpacks the .deb.
    static func make() throws -> Dist {
        let upToDate = try packages().map { modified($0.deb) > newestInput() } ?? false
        if !upToDate {
            // A static release build from scratch takes minutes on two cores:
            // niced, so the timed end-to-end tests running beside it keep the CPU.
            let run = try Subprocess.run("/usr/bin/nice", ["-n", "19", "/bin/bash", Repository.url("scripts/dist.sh").path],
                                         in: Repository.root, timeout: 2400)
            guard run.status == 0 else {
                throw HarnessError("scripts/dist.sh exited \(run.status):\n\(run.stdout.suffix(3000))\(run.stderr.suffix(3000))")
            }
        }
        guard let (deb, tarball) = try packages() else { throw HarnessError("scripts/dist.sh left no .deb and tarball") }
        let root = Repository.url(".build-dist/unpacked")
        try? FileManager.default.removeItem(at: root)
        let unpack = try Subprocess.run("dpkg-deb", ["-x", deb.path, root.path])
        guard unpack.status == 0 else { throw HarnessError("dpkg-deb -x: \(unpack.stderr)") }
        return Dist(deb: deb, tarball: tarball, root: root)
    }

    /// The .deb and tarball in `folder`, or nil when either is missing.
    static func packages() throws -> (deb: URL, tarball: URL)? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard let deb = names.first(where: { $0.hasSuffix("_amd64.deb") }),
              let tarball = names.first(where: { $0.hasSuffix("-linux-x86_64.tar.gz") }) else { return nil }
        return (folder.appendingPathComponent(deb), folder.appendingPathComponent(tarball))
    }

    static func modified(_ url: URL) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// The latest modification time of any file under `inputs`.
    static func newestInput() -> Date {
        var newest = Date.distantPast
        for input in inputs {
            let url = Repository.url(input)
            newest = max(newest, modified(url))
            guard let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.contentModificationDateKey]) else { continue }
            for case let file as URL in files {
                newest = max(newest, (try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast)
            }
        }
        return newest
    }

    /// A new empty folder under the system's temporary folder.
    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-dist-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
