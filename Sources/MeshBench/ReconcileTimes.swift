import Foundation
import MeshAgent
import MeshLint
import MeshPipeline
import MeshSnapshot
import MeshSource

/// `MeshBench reconcile REPO [--repeat N]`: the CPU a reconciler and its
/// agents spend on a one-route commit, in one process, without Envoy: one
/// long-lived pipeline builds HEAD~1 and HEAD alternately (`desired`, as
/// `meshc reconcile` builds a commit: parse cache, compile beside the
/// analyzers, emit cache), then for each proxy the delta from the last
/// commit's snapshot (the reconciler's PATCH body) and the agent's decode
/// of it (`SnapshotDelta.apply`) and its record of the applied bundle once
/// Envoy confirms (`applied.json`, written and synced as the agent does). Each figure is the best of N rounds, HEAD
/// and HEAD~1 both timed (each is a one-file change from the other).
/// The end-to-end figure is `scripts/bench_reconcile.py`'s; this one is
/// the part meshc's own code spends, steady on a noisy machine.
enum ReconcileTimes {
    static func run(_ path: String, repeats: Int) throws {
        let repo = try GitRepository(path: path)
        let commits = [try repo.resolve("HEAD~1"), try repo.resolve("HEAD")]
        let pipeline = Pipeline(useEmitCache: true)
        let recordPath = NSTemporaryDirectory() + "/meshc-bench-reconcile-\(getpid())/applied.json"
        defer { try? FileManager.default.removeItem(atPath: (recordPath as NSString).deletingLastPathComponent) }
        var running = try snapshots(pipeline.desired(try repo.snapshot(at: commits[0])))
        // Each agent keeps the clusters its applied hosts name (`Agent.hostClusters`): warmed by a first decode.
        let hostClusters = Dictionary(uniqueKeysWithValues: running.map { ($0.proxy, SnapshotDelta.HostClusters()) })
        for snapshot in running { _ = try SnapshotDelta.apply(Array(SnapshotDelta.text(from: snapshot, to: snapshot).utf8), to: snapshot, hostClusters: hostClusters[snapshot.proxy]!) }
        Linter.waitForTeardown()
        var best: [String: Double] = [:]
        var order: [String] = []
        func record(_ name: String, _ seconds: Double) {
            if best[name] == nil { order.append(name) }
            best[name] = min(best[name] ?? .infinity, seconds)
        }
        for round in 1...repeats {
            for commit in [commits[1], commits[0]] {
                var split: [(String, Double)] = []
                let start = now()
                let snapshot = try repo.snapshot(at: commit)
                let built = now()
                let desired = try snapshots(pipeline.desired(snapshot) { split.append(($0, $1)) })
                let build = now() - built
                var deltaSeconds = 0.0, decodeSeconds = 0.0, recordSeconds = 0.0, bytes = 0
                for next in desired {
                    guard let base = running.first(where: { $0.proxy == next.proxy }) else { continue }
                    let deltaStart = now()
                    let text = SnapshotDelta.text(from: base, to: next)
                    deltaSeconds += now() - deltaStart
                    bytes += text.utf8.count
                    let decodeStart = now()
                    let applied = try SnapshotDelta.apply(Array(text.utf8), to: base, hostClusters: hostClusters[next.proxy]!)
                    decodeSeconds += now() - decodeStart
                    precondition(applied.snapshot.version == next.version, "the delta does not give the snapshot")
                    let recordStart = now()
                    try AtomicFile.write(to: recordPath) { file in
                        applied.snapshot.writeBundle(to: &file)
                        file.write("\n")
                    }
                    recordSeconds += now() - recordStart
                }
                let total = now() - start
                Linter.waitForTeardown()
                running = desired
                record("git snapshot of the commit", built - start)
                record("build (desired: lint, compile beside it, emit)", build)
                for (name, seconds) in split { record("  " + name, seconds) }
                record("reconciler's deltas (\(desired.count) proxies, \(bytes / 1024) KiB)", deltaSeconds)
                record("agents' decode of them (SnapshotDelta.apply)", decodeSeconds)
                record("agents' applied record (applied.json written, after Envoy confirms)", recordSeconds)
                record("total", total)
                print(String(format: "round %d: %.3f s", round, total))
            }
        }
        print("best of \(repeats * 2) commits (wall seconds, \(ProcessInfo.processInfo.activeProcessorCount) cores):")
        for name in order { print(String(format: "  %-62@ %.4f", name as NSString, best[name]!)) }
        print("peak RSS: \(peakRSSMiB()) MiB")
    }

    private static func snapshots(_ result: Result<DesiredState, PipelineError>) throws -> [ProxySnapshot] {
        try result.get().proxies.map(\.snapshot)
    }
}
