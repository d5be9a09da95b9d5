import Foundation
import MeshDiagnostics
import MeshPipeline
import MeshSnapshot
import MeshSource
import MeshTestSupport
import Testing

/// Issue 15's property: over random commits to a `gen_mesh.py` mesh, the
/// incremental path (one long-lived pipeline: parse cache by blob id, emit
/// cache by IR value, as the reconciler keeps them) builds byte for byte
/// what a fresh pipeline builds from nothing, and the `SnapshotDelta` from
/// each proxy's previous snapshot gives exactly the next one.
@Suite(.enabled(if: GenMesh.script != nil, "gen_mesh.py not found (../shared/bench, /work/shared/bench or MESHC_GEN_MESH)"))
struct IncrementalBuildPropertyTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func incrementalBuildsEqualFullBuildsOverRandomCommits(seed: UInt64) throws {
        let repo = try GitFixture()
        defer { repo.remove() }
        let generated = try repo.folder("generated")
        let script = try #require(GenMesh.script)
        let run = try Subprocess.run("python3", [script, "--services", "40", "--per-namespace", "10", "--seed", "\(seed)", "--out", generated])
        try #require(run.status == 0, "\(run.stderr)")
        var files = try GenMesh.files(in: generated)
        try repo.commit("generated", files.mapValues { Optional($0) })
        let source = try GitRepository.open(repo.root)
        let warm = Pipeline(useEmitCache: true)
        // As the reconciler builds: `desired`, the compiler beside the analyzers, over the parse cache's last results.
        let reconciling = Pipeline(useEmitCache: true)
        _ = reconciling.desired(try source.snapshot(at: try source.resolve("HEAD")))
        var random = SeededGenerator(seed: seed)
        var (previous, _) = try Self.build(warm, source)
        try #require(previous.count == 2, "the generated mesh builds its gateway and sidecar view")
        var deleted: [String: String] = [:], mending: [String: String?] = [:], changedSteps = 0
        for step in 1...16 {
            var (message, change) = Edits.random(&random, files: files, deleted: &deleted)
            // A mistake (lint errors: nothing builds) is mended by the next commit, as a team would.
            let mended = mending
            mending = message.hasPrefix("mistake") ? change.keys.reduce(into: [:]) { $0[$1] = files[$1] } : [:]
            for (path, text) in mended where change[path] == nil { change[path] = text }
            for (path, text) in change { files[path] = text }
            for (path, text) in change {
                if let text { try repo.write(path, text) } else { try FileManager.default.removeItem(atPath: repo.root + "/" + path) }
            }
            try repo.git("add", "-A")
            try repo.git("commit", "-q", "--allow-empty", "-m", "\(step): \(message)") // an edit may change nothing
            let (incremental, incrementalFindings) = try Self.build(warm, source)
            let (full, fullFindings) = try Self.build(Pipeline(), source)
            #expect(incrementalFindings == fullFindings, "step \(step) (\(message)): lint over the updated index differs from a fresh lint")
            try #require(incremental.map(\.version) == full.map(\.version), "step \(step) (\(message)): the incremental build differs from a full build")
            #expect(incremental == full, "step \(step) (\(message))")
            switch reconciling.desired(try source.snapshot(at: try source.resolve("HEAD"))) {
            case .success(let desired): #expect(desired.proxies.map(\.snapshot) == full, "step \(step) (\(message)): the reconciler's build differs")
            case .failure(.lintErrors): #expect(full.isEmpty, "step \(step) (\(message)): the reconciler's build stopped at findings a full build passes")
            case .failure(let error): Issue.record("step \(step) (\(message)): \(error)")
            }
            for next in incremental {
                guard let before = previous.first(where: { $0.proxy == next.proxy }) else { continue }
                let applied = try SnapshotDelta.apply(Array(SnapshotDelta.text(from: before, to: next).utf8), to: before)
                #expect(applied.snapshot == next, "step \(step) (\(message)): the delta for \(next.proxy) does not rebuild its snapshot")
            }
            if incremental.map(\.version) != previous.map(\.version) { changedSteps += 1 }
            previous = incremental
        }
        #expect(changedSteps >= 4, "a quarter of the commits at least change what the proxies get (\(changedSteps) of 16 did)")
    }

    /// Every proxy's snapshot of HEAD (none when HEAD does not build: both
    /// pipelines must agree on that too), and lint's findings.
    static func build(_ pipeline: Pipeline, _ source: GitRepository) throws -> ([ProxySnapshot], [Diagnostic]) {
        let report = try pipeline.lint(try source.snapshot(at: try source.resolve("HEAD")))
        switch pipeline.build(report) {
        case .success(let build): return (build.proxies.map(\.snapshot), report.diagnostics)
        case .failure(.lintErrors): return ([], report.diagnostics)
        case .failure(let error): throw error
        }
    }
}

/// `gen_mesh.py`, the benchmark meshes' generator (shared, never copied here).
enum GenMesh {
    static let script: String? = {
        let candidates: [String?] = [ProcessInfo.processInfo.environment["MESHC_GEN_MESH"],
                                     Repository.url("../shared/bench/gen_mesh.py").standardizedFileURL.path,
                                     "/work/shared/bench/gen_mesh.py"]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }()

    /// Path (relative to `folder`) → text of every file below it.
    static func files(in folder: String) throws -> [String: String] {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            files[path] = try String(contentsOfFile: folder + "/" + path, encoding: .utf8)
        }
        return files
    }
}

/// The random commits: the edits platform teams make to a mesh like this.
enum Edits {
    /// One edit of `files` (path → new text, nil deletes); a deleted file may come back later.
    static func random(_ random: inout SeededGenerator, files: [String: String], deleted: inout [String: String]) -> (String, [String: String?]) {
        let services = files.keys.filter { $0.contains("/svc-") }.sorted()
        let path = services[Int(random.next() % UInt64(services.count))]
        let text = files[path]!
        func replacing(_ old: String, _ new: String) -> String? { text.contains(old) ? text.replacingOccurrences(of: old, with: new) : nil }
        switch random.next() % 13 {
        case 0:
            let weight = Int(random.next() % 50)
            var lines = text.components(separatedBy: "\n")
            if let first = lines.firstIndex(where: { $0.contains("weight: ") }), let second = lines[(first + 1)...].firstIndex(where: { $0.contains("weight: ") }) {
                lines[first] = lines[first].components(separatedBy: "weight: ")[0] + "weight: \(100 - weight)"
                lines[second] = lines[second].components(separatedBy: "weight: ")[0] + "weight: \(weight)"
            }
            return ("weights of \(path) to \(100 - weight)/\(weight)", [path: lines.joined(separator: "\n")])
        case 1:
            return ("timeout in \(path)", [path: replacing("timeout: 2s", "timeout: \(1 + random.next() % 9)s") ?? text + "\n"])
        case 2:
            deleted[path] = text
            return ("delete \(path)", [path: nil])
        case 3:
            guard let back = deleted.keys.sorted().first, let restored = deleted.removeValue(forKey: back) else { return ("no file to restore", [path: text + "\n"]) }
            return ("restore \(back)", [back: restored])
        case 4:
            return ("load balancer of \(path)", [path: replacing("simple: LEAST_REQUEST", "simple: ROUND_ROBIN") ?? replacing("simple: ROUND_ROBIN", "simple: LEAST_REQUEST") ?? text])
        case 5:
            let octet = 1 + random.next() % 250
            var lines = text.components(separatedBy: "\n")
            if let at = lines.firstIndex(where: { $0.contains("address: ") }) { lines[at] = "  address: 10.200.\(octet).9" }
            return ("workload address in \(path)", [path: lines.joined(separator: "\n")])
        case 8:
            // A dangling destination: IST0101 (an error: the build stops until a later commit mends it).
            return ("mistake: a typo in the hosts of \(path)", [path: replacing("host: svc-", "host: scv-") ?? text])
        case 9:
            // A subset no rule defines any more, for every route naming it.
            return ("mistake: subset v2 renamed in \(path)", [path: replacing("- name: v2", "- name: v2b") ?? text])
        case 6:
            return ("retries in \(path)", [path: replacing("attempts: 3", "attempts: \(1 + random.next() % 5)") ?? text])
        case 10:
            // A VirtualService-only edit that changes which clusters are used: the rule routing to another service goes.
            var lines = text.components(separatedBy: "\n")
            if let prefix = lines.firstIndex(where: { $0.contains("prefix: /api/") }), prefix >= 2, lines[prefix - 2] == "  - match:",
               let next = lines[(prefix + 1)...].firstIndex(where: { $0 == "  - match:" }) {
                lines.removeSubrange((prefix - 2)..<next)
            }
            return ("route to another service dropped from \(path)", [path: lines.joined(separator: "\n")])
        case 11:
            // A VirtualService leaves the sidecars (or comes back to them): it moves between resolve-hosts' tables.
            return ("mesh gateway of \(path) toggled", [path: replacing("  - public\n  - mesh\n", "  - public\n") ?? replacing("  - public\n", "  - public\n  - mesh\n") ?? text])
        case 12:
            // A VirtualService's hosts change: the gateway's domains and the sidecars' host table with them.
            var lines = text.components(separatedBy: "\n")
            if let at = lines.firstIndex(where: { $0.hasPrefix("  - svc-") && $0.hasSuffix(".example.com") }) { lines.remove(at: at) }
            return ("external host dropped from \(path)", [path: lines.joined(separator: "\n")])
        default:
            return ("new canary header in \(path)", [path: replacing("exact: \"true\"", "exact: \"\(random.next() % 1000)\"") ?? text])
        }
    }
}
