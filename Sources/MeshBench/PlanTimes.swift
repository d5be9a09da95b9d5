import Foundation
import MeshLint
import MeshPipeline
import MeshPlan
import MeshSnapshot
import MeshSource

/// `MeshBench plan REPO [--repeat N]`: `meshc plan --base HEAD~1 --head HEAD`
/// in one process, on a repository whose HEAD changes one file
/// (scripts/bench-plan.sh makes one). The base is linted, compiled and
/// emitted once; then each round re-lints the base (untimed: the cache keeps
/// one snapshot, so the head's changed blob is parsed again every round) and
/// times the head alone, split into its passes, against the goal of 100 ms.
/// With `emitCache`, each round also builds the base again (untimed) first,
/// so the head finds the base's renders in the cache, as a reconciler that
/// built the previous commit does; without, every resource is rendered.
enum PlanTimes {
    static func run(_ path: String, repeats: Int, emitCache: Bool = true) throws {
        print("== emit cache \(emitCache ? "on (the previous commit's renders reused)" : "off (every resource rendered)")")
        let repo = try GitRepository(path: path)
        let base = try repo.snapshot(at: try repo.resolve("HEAD~1"))
        let pipeline = Pipeline(keepSnapshots: 1, useEmitCache: emitCache)
        let cache = pipeline.cache

        let warmStart = now()
        let baseReport = try cache.lint(base)
        precondition(baseReport.count(.error) == 0, "the base has lint errors")
        let running = try emitted(pipeline.build(baseReport))
        Linter.waitForTeardown()
        print(String(format: "base HEAD~1: %d files, cold lint + compile + emit %.3f s (warms the cache)", base.files.count, now() - warmStart))

        var best: [(String, Double)] = []
        var summary = ""
        for round in 1...repeats {
            let again = try cache.lint(base)
            if emitCache { _ = try emitted(pipeline.build(again)) }
            Linter.waitForTeardown()
            var split: [(String, Double)] = []
            var lap = now()
            func mark(_ name: String) {
                let t = now()
                split.append((name, t - lap))
                lap = t
            }
            let head = try repo.snapshot(at: try repo.resolve("HEAD"))
            mark("snapshot (tree walk, blob sizes)")
            let before = cache.statistics
            let processed = try cache.processed(head)
            let parsed = cache.statistics.misses - before.misses
            mark("cache lint (per-file phase: \(parsed) parsed, \(head.files.count - parsed) cached)")
            let report = cache.lint(processed: processed)
            mark("index + analyzers (over the base's)")
            precondition(report.count(.error) == 0, "the head has lint errors")
            var passes: [(String, Double)] = []
            let desired = try emitted(pipeline.build(report, timed: { name, seconds in passes.append(("  \(name)", seconds)) }))
            mark("compile and emit (\(desired.count) proxies)")
            split += passes
            let plan = Planner.plan(desired: desired, running: running)
            mark("plan")
            let total = Self.total(split)
            Linter.waitForTeardown()
            summary = "plan: \(plan.count(.create)) to create, \(plan.count(.update)) to update, \(plan.count(.delete)) to delete"
            print(String(format: "round %d: head lint + compile + emit + plan %.3f s", round, total))
            if best.isEmpty || total < Self.total(best) { best = split }
        }
        print(summary)
        print("split of the best round (wall seconds):")
        for (name, seconds) in best { print(String(format: "  %-60@ %.3f", name as NSString, seconds)) }
        let total = Self.total(best)
        print(String(format: "best head with a warm cache (%d cores): %.3f s (goal < 0.100 s: %@)",
                     ProcessInfo.processInfo.activeProcessorCount, total, total < 0.1 ? "met" : "not met"))
        print("peak RSS: \(peakRSSMiB()) MiB")
    }

    /// The sum of the top-level laps (indented ones split the line above them).
    private static func total(_ split: [(String, Double)]) -> Double {
        split.filter { !$0.0.hasPrefix("  ") }.reduce(0) { $0 + $1.1 }
    }

    /// The snapshots of a build; a failure is the benchmark's bug.
    private static func emitted(_ result: Result<MeshBuild, PipelineError>) throws -> [ProxySnapshot] {
        try result.get().proxies.map(\.snapshot)
    }
}
