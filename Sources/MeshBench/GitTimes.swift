import Foundation
import MeshLint
import MeshSource

/// `MeshBench git REPO [--repeat N]`: the Source stage on a git repository
/// whose HEAD changes one file from HEAD~1 (scripts/bench-git.sh makes
/// one). Times reading a commit's file list, a cold lint through the parse
/// cache, a warm re-lint of the same commit and the lint of the next commit
/// (one changed blob), beside a plain `Linter.run` on a checkout.
enum GitTimes {
    static func run(_ path: String, repeats: Int) throws {
        let repo = try GitRepository(path: path)
        let base = try repo.resolve("HEAD~1"), head = try repo.resolve("HEAD")
        var best: [String: Double] = [:]
        var line = ""
        for round in 1...repeats {
            let start = now()
            let baseSnapshot = try repo.snapshot(at: base)
            let headSnapshot = try repo.snapshot(at: head)
            best["snapshot (tree walk + blob sizes)"] = min(best["snapshot (tree walk + blob sizes)"] ?? .infinity, (now() - start) / 2)
            let folderStart = now()
            _ = try SourceSnapshot.directory(path)
            best["snapshot of the checkout (hash every file)"] = min(best["snapshot of the checkout (hash every file)"] ?? .infinity, now() - folderStart)

            let cache = ParseCache()
            try time("cold lint through the cache", into: &best) { try cache.lint(baseSnapshot) }
            try time("same commit again (all hits)", into: &best) { try cache.lint(baseSnapshot) }
            try time("next commit (one changed blob)", into: &best) { try cache.lint(headSnapshot) }
            // As the reconciler's pipeline lints: resources kept, the last index lent to the next run.
            var keeping = LintOptions()
            keeping.keepResources = true
            keeping.keepSources = true
            let pipelineCache = ParseCache(options: keeping)
            _ = try pipelineCache.lint(baseSnapshot)
            try time("next commit, resources kept and the index updated", into: &best) { try pipelineCache.lint(headSnapshot) }
            try time("reference: Linter.run on the checkout", into: &best) {
                try Linter.run(targets: SourceFiles.expand([path]).map(LintSource.file))
            }
            let counts = cache.statistics
            line = "files: \(headSnapshot.files.count); cache after three runs: \(counts.hits) hits, \(counts.misses) misses, \(counts.entries) entries"
            print("round \(round) done")
        }
        print(line)
        for (name, seconds) in best.sorted(by: { $0.key < $1.key }) {
            print(String(format: "best %@: %.3f s", name, seconds))
        }
        print("peak RSS: \(peakRSSMiB()) MiB")
    }

    /// Times one lint run (the report is dropped after the clock stops,
    /// and background teardown is waited for) and keeps the best time.
    private static func time(_ name: String, into best: inout [String: Double], _ lint: () throws -> LintReport) throws {
        let start = now()
        let report = try lint()
        let seconds = now() - start
        withExtendedLifetime(report) {}
        Linter.waitForTeardown()
        best[name] = min(best[name] ?? .infinity, seconds)
    }
}
