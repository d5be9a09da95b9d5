import Foundation
import MeshEmit
import MeshLint
import MeshPipeline

/// `MeshBench build DIR`: what `meshc build` does in one process — lint
/// (parse, decode, field rules, analyzers), compile (each pass timed), emit,
/// and every proxy's files written under a temporary folder (`BuildFolder`,
/// as `meshc build --out` writes them) — beside a raw single-threaded libyaml
/// parse of the same files.
enum BuildTimes {
    static func run(_ files: [String], repeats: Int) throws {
        var rawBest = Double.infinity, totalBest = Double.infinity
        var bestSplit: [(String, Double)] = []
        for round in 1...repeats {
            let rawStart = now()
            _ = try RawParse.run(files)
            let raw = now() - rawStart
            var split: [(String, Double)] = []
            let start = now()
            var lap = start
            func mark(_ name: String) {
                let t = now()
                split.append((name, t - lap))
                lap = t
            }
            let pipeline = Pipeline()
            var passes: [(String, Double)] = []
            let (report, built) = try pipeline.build(sources: files.map(LintSource.file)) { name, seconds in passes.append(("  \(name)", seconds)) }
            guard case .success(let build) = built else { preconditionFailure("the benchmark mesh does not build") }
            mark("lint, compile beside the analyzers, emit (the lines below; compile passes ran inside the first)")
            split += passes
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-bench-build-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            let folders = try BuildFolder.write(build.proxies, to: out)
            let written = now(), total = written - start
            split.append(("then \(build.proxies.count) proxies' files written, \(folderBytes(folders) / 1_048_576) MiB of JSON", written - lap))
            Linter.waitForTeardown()
            precondition(report.count(.error) == 0, "the benchmark mesh has lint errors")
            print(String(format: "round %d: raw libyaml parse %.3f s, meshc build %.3f s", round, raw, total))
            rawBest = min(rawBest, raw)
            if total < totalBest { totalBest = total; bestSplit = split }
        }
        print("split of the best build round (wall seconds):")
        for (name, seconds) in bestSplit { print(String(format: "  %-60@ %.3f", name as NSString, seconds)) }
        print(String(format: "best raw libyaml parse (1 thread): %.3f s", rawBest))
        print(String(format: "best meshc build (%d cores):       %.3f s", ProcessInfo.processInfo.activeProcessorCount, totalBest))
        print(String(format: "ratio build / raw parse: %.2f (goal <= 2.00)", totalBest / rawBest))
        // The goal is `meshc build`'s own peak, which bench-build.sh measures as a process after this.
        print("peak RSS of this benchmark (\(repeats) rounds and raw parses): \(peakRSSMiB()) MiB")
    }

    /// The bytes of every file under `folders`.
    private static func folderBytes(_ folders: [URL]) -> Int {
        folders.reduce(0) { sum, folder in
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey])
            return sum + (files?.compactMap { ($0 as? URL).flatMap { try? $0.resourceValues(forKeys: [.fileSizeKey]).fileSize } }.reduce(0, +) ?? 0)
        }
    }
}
