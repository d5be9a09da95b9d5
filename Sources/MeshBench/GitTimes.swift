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
            var start = now()
            let baseSnapshot = try repo.snapshot(at: base)
            let headSnapshot = try repo.snapshot(at: head)
            record(&best, "snapshot (tree walk + blob sizes)", (now() - start) / 2)

            let cache = ParseCache()
            start = now()
            _ = try cache.lint(baseSnapshot)
            record(&best, "cold lint through the cache", now() - start)
            Linter.waitForTeardown()
            start = now()
            _ = try cache.lint(baseSnapshot)
            record(&best, "same commit again (all hits)", now() - start)
            Linter.waitForTeardown()
            start = now()
            _ = try cache.lint(headSnapshot)
            record(&best, "next commit (one changed blob)", now() - start)
            Linter.waitForTeardown()

            start = now()
            _ = try Linter.run(targets: SourceFiles.expand([path]).map(LintSource.file))
            record(&best, "reference: Linter.run on the checkout", now() - start)
            Linter.waitForTeardown()
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

    private static func record(_ best: inout [String: Double], _ name: String, _ seconds: Double) {
        best[name] = min(best[name] ?? .infinity, seconds)
    }
}
