#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MeshLint

/// `MeshBench lint DIR [--repeat N]`: lints DIR with meshc's full pipeline and
/// parses the same files with raw single-threaded libyaml, in one process,
/// printing both times, their ratio and peak memory.
/// `MeshBench lint DIR --tree [--repeat N]`: raw libyaml beside meshc's parse into node trees (each dropped
/// after its file, as lint does), one thread: what the tree costs over the events.
/// `MeshBench build DIR [--repeat N]`: the same for `meshc build` (see BuildTimes).
/// `MeshBench git REPO [--repeat N]`: the Source stage (see GitTimes).
/// `MeshBench plan REPO [--repeat N]`: a plan of HEAD against HEAD~1 with a warm cache (see PlanTimes).
/// `MeshBench routes RDS_FILE OUT [--variants N]`: a route configuration as JSON and protobuf files (see RouteFiles).
func main() throws {
    var args = Array(CommandLine.arguments.dropFirst())
    if args.first == "agent", args.count >= 2 {
        let rounds = args.firstIndex(of: "--rounds").flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } ?? 20
        let sample = args[1]
        try blocking { try await AgentApply.run(sample: sample, rounds: rounds) }
        return
    }
    if args.first == "routes", args.count >= 3 {
        let variants = args.firstIndex(of: "--variants").flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } ?? 10
        try RouteFiles.run(args[1], out: args[2], variants: variants)
        return
    }
    guard let mode = args.first, ["lint", "build", "git", "plan", "reconcile"].contains(mode), args.count >= 2 else {
        FileHandle.standardError.write(Data("usage: MeshBench lint|build DIR [--repeat N] [--analyzers|--tree] | MeshBench git|plan|reconcile REPO [--repeat N] [--emit-cache-only] | MeshBench agent SAMPLE_DIR [--rounds N] | MeshBench routes RDS_FILE OUT_DIR [--variants N]\n".utf8))
        exit(2)
    }
    args.removeFirst()
    let dir = args.removeFirst()
    var repeats = 3
    if let index = args.firstIndex(of: "--repeat"), index + 1 < args.count { repeats = Int(args[index + 1]) ?? 3 }
    if mode == "git" {
        try GitTimes.run(dir, repeats: repeats)
        return
    }
    if mode == "reconcile" {
        try ReconcileTimes.run(dir, repeats: repeats)
        return
    }
    if mode == "plan" {
        // The reference first: the same rounds with every resource rendered.
        if !args.contains("--emit-cache-only") { try PlanTimes.run(dir, repeats: repeats, emitCache: false) }
        try PlanTimes.run(dir, repeats: repeats, emitCache: true)
        return
    }

    let files = try SourceFiles.expand([dir])
    if mode == "build" {
        try BuildTimes.run(files, repeats: repeats)
        return
    }
    if args.contains("--tree") {
        try RawParse.compareWithTrees(files, repeats: repeats)
        return
    }
    if args.contains("--analyzers") {
        try AnalyzerTimes.run(files)
        return
    }
    let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
    print("input: \(files.count) files, \(String(format: "%.1f", Double(bytes) / 1_048_576)) MiB")

    var rawBest = Double.infinity, lintBest = Double.infinity
    var events = 0
    var report: LintReport?
    for round in 1...repeats {
        let rawStart = now()
        events = try RawParse.run(files)
        let raw = now() - rawStart
        let lintStart = now()
        report = try Linter.run(targets: files.map(LintSource.file))
        let lint = now() - lintStart
        Linter.waitForTeardown()
        rawBest = min(rawBest, raw)
        lintBest = min(lintBest, lint)
        print(String(format: "round %d: raw libyaml parse %.3f s, meshc lint %.3f s", round, raw, lint))
    }
    let r = report!
    print("raw libyaml events: \(events)")
    print("lint: \(r.resourceCount) resources, \(r.count(.error)) errors, \(r.count(.warning)) warnings, \(r.count(.info)) infos")
    print(String(format: "best raw libyaml parse (1 thread): %.3f s", rawBest))
    print(String(format: "best meshc lint (%d cores):       %.3f s", ProcessInfo.processInfo.activeProcessorCount, lintBest))
    print(String(format: "ratio lint / raw parse: %.2f (goal <= 1.00)", lintBest / rawBest))
    print("peak RSS: \(peakRSSMiB()) MiB (goal < 256)")
}

/// Runs `body` to its end from synchronous code.
func blocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    final class Box: @unchecked Sendable { var error: Error? }
    let box = Box(), done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { box.error = error }
        done.signal()
    }
    done.wait()
    if let error = box.error { throw error }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func peakRSSMiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024
}

func readAll(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

try main()
