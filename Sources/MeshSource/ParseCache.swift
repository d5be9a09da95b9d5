import Foundation
import MeshDiagnostics
import MeshLint
import MeshModel
import MeshValidate

/// Per-file lint results (parse → decode → field rules and user policies)
/// keyed by path and blob id, so linting a new commit re-parses only the
/// files that changed. Results carry their file's path (diagnostics and
/// resources name it), hence the path in the key.
///
/// One cache serves one set of `LintOptions`: make a new cache when limits
/// or policies change. Thread-safe. Bounded: entries no snapshot used in
/// the last `keepSnapshots` lint runs are dropped (found from the keys each
/// run stopped using, so a run costs nothing per unchanged entry).
package final class ParseCache: @unchecked Sendable {
    /// Lookups answered from the cache and files parsed, since creation.
    package struct Statistics: Equatable, Sendable {
        package var hits = 0
        package var misses = 0
        /// Entries held now.
        package var entries = 0

        package init(hits: Int = 0, misses: Int = 0, entries: Int = 0) {
            self.hits = hits
            self.misses = misses
            self.entries = entries
        }
    }

    /// The options every lint run through this cache uses (set
    /// `keepResources` to get the resources back with each report).
    package let options: LintOptions
    /// How many recent lint runs keep their entries alive.
    package let keepSnapshots: Int

    private struct Key: Hashable {
        var path: String
        var id: ObjectID
    }

    private struct Entry {
        var result: FileLint
        var lastUsed: Int
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    /// The index and findings of the last lint run (kept with
    /// `keepResources`): the next run takes over what the new commit left unchanged.
    private var lastAnalysis: Analysis?
    /// The last snapshot's keys, in its order (by path for a commit or a folder), and the run that read them.
    private var lastKeys: [Key] = []
    /// The last run's results, in `lastKeys` order: a run over the same paths starts from
    /// them and replaces the files whose blob changed (no lookup per unchanged file).
    private var lastResults: [FileLint] = []
    private var lastGeneration = 0
    /// Keys a run stopped using, with the generation that used them last;
    /// oldest first. Eviction looks at these only, not at every entry.
    private var retired: [(generation: Int, keys: [Key])] = []
    private var generation = 0
    private var counters = Statistics()

    package init(options: LintOptions = LintOptions(), keepSnapshots: Int = 2) {
        self.options = options
        self.keepSnapshots = max(1, keepSnapshots)
    }

    /// Hit and miss counts so far, and the entries held.
    package var statistics: Statistics {
        lock.lock()
        defer { lock.unlock() }
        var statistics = counters
        statistics.entries = entries.count
        return statistics
    }

    /// Lints every file of `snapshot` as a target: unchanged files come from
    /// the cache, the rest are read and parsed (in parallel), then the
    /// cross-file analyzers run on all of them. Throws only when a file
    /// cannot be read.
    package func lint(_ snapshot: SourceSnapshot) throws -> LintReport {
        lint(processed: try processed(snapshot))
    }

    /// The cross-file phase of `lint(_:)` on `processed(_:)`'s results, over
    /// the last run's index and findings (benchmarks time the phases apart).
    package func lint(processed files: [FileLint]) -> LintReport {
        keeping(Linter.run(processed: files, options: options, previous: withLock { lastAnalysis }))
    }

    /// `lint(processed:)` with `work` run beside the analyzers
    /// (`Linter.run(processed:options:previous:beside:)`).
    package func lint<T: Sendable>(processed files: [FileLint],
                                   beside work: @escaping @Sendable (MeshIndex, [Resource]) -> T) -> (report: LintReport, beside: T) {
        let (report, result) = Linter.run(processed: files, options: options, previous: withLock { lastAnalysis }, beside: work)
        return (keeping(report), result)
    }

    /// `report`, its analysis kept for the next run to build on.
    private func keeping(_ report: LintReport) -> LintReport {
        if let analysis = report.analysis { withLock { lastAnalysis = analysis } }
        return report
    }

    private func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// The per-file phase of `lint(_:)` alone (cached results and fresh
    /// parses, in file order), for benchmarks that time the two phases apart.
    package func processed(_ snapshot: SourceSnapshot) throws -> [FileLint] {
        let keys = snapshot.files.map { Key(path: $0.path, id: $0.id) }
        lock.lock()
        generation += 1
        let current = generation
        // The same paths as the last run (a commit that edited files): its results, the edited ones looked up.
        let samePaths = keys.count == lastKeys.count && lastResults.count == keys.count
            && keys.indices.allSatisfy { keys[$0].path == lastKeys[$0].path }
        var results = [FileLint?](repeating: nil, count: keys.count)
        var kept = samePaths ? lastResults : []
        let base = lastGeneration, previous = lastKeys
        // Files to look up: with the same paths, those whose blob changed.
        let edited = { (index: Int) in !samePaths || keys[index].id != previous[index].id }
        for (index, key) in keys.enumerated() where edited(index) {
            guard let at = entries.index(forKey: key) else { continue }
            entries.values[at].lastUsed = current
            results[index] = entries.values[at].result
        }

        let missing = results.indices.filter { results[$0] == nil && edited($0) }
        // Each edited file's result for its last blob: its unchanged documents keep their objects.
        let lastBlobs = Self.blobs(of: missing.map { keys[$0].path }, in: lastKeys)
        let earlier = missing.map { index in lastBlobs[keys[index].path].flatMap { entries[Key(path: keys[index].path, id: $0)]?.result } }
        lock.unlock()
        let parsed: [FileLint]
        do {
            parsed = try Linter.process(missing.map { (source: snapshot.files[$0].lintSource, isTarget: true) }, options: options)
        } catch {
            // The hits were touched: account for this run's keys all the same, or they would never be retired.
            withLock { retire(keys, current: current, samePaths: false); lastResults = [] }
            throw error
        }

        lock.lock()
        for (index, (result, earlier)) in zip(missing, zip(parsed, earlier)) {
            let result = earlier.map { result.keepingUnchanged(from: $0) } ?? result
            results[index] = result
            entries[keys[index]] = Entry(result: result, lastUsed: current)
        }
        if samePaths {
            for index in keys.indices where edited(index) { kept[index] = results[index]! }
        } else {
            kept = results.map { $0! }
        }
        // A run that finished meanwhile moved `lastKeys`: then the departed keys are found by path.
        retire(keys, current: current, samePaths: samePaths && lastGeneration == base)
        lastResults = kept
        counters.hits += keys.count - missing.count
        counters.misses += missing.count
        lock.unlock()
        return kept
    }

    /// After run `current` of `keys` (the lock held): the last run's keys
    /// this one did not use are set aside with that run's generation, and
    /// what no run of the last `keepSnapshots` used is dropped.
    /// With `samePaths` (the keys are the last run's paths in order), the departed keys are the edited files' last ones.
    /// Entries this run took over with `lastResults` keep their older `lastUsed`: they did not depart,
    /// and an entry departs (and is judged by its `lastUsed`) only when a run stops using it.
    private func retire(_ keys: [Key], current: Int, samePaths: Bool) {
        let departed = samePaths ? keys.indices.filter { keys[$0].id != lastKeys[$0].id }.map { lastKeys[$0] }
            : Self.departed(from: lastKeys, to: keys) ?? lastKeys.filter { entries[$0].map { $0.lastUsed != current } ?? false }
        if !departed.isEmpty { retired.append((lastGeneration, departed)) }
        while let oldest = retired.first, oldest.generation <= current - keepSnapshots {
            retired.removeFirst()
            // Not used since that run (a later one may have used it again).
            for key in oldest.keys where (entries[key]?.lastUsed ?? .max) <= oldest.generation { entries[key] = nil }
        }
        lastKeys = keys
        lastGeneration = current
        // A safety net for what the bookkeeping cannot see (runs that overlapped): never far past two snapshots' worth.
        if entries.count > (keepSnapshots + 2) * max(keys.count, 256) {
            let live = Set(keys)
            entries = entries.filter { $0.value.lastUsed > current - keepSnapshots || live.contains($0.key) }
            retired.removeAll()
        }
    }

    /// Path → blob id in `last` for each of `paths` (a binary search when
    /// `last` is sorted by path, as snapshots are; else a table).
    private static func blobs(of paths: [String], in last: [Key]) -> [String: ObjectID] {
        guard !paths.isEmpty else { return [:] }
        guard isSorted(last) else {
            let table = Dictionary(last.map { ($0.path, $0.id) }, uniquingKeysWith: { _, later in later })
            return paths.reduce(into: [:]) { $0[$1] = table[$1] }
        }
        var found: [String: ObjectID] = [:]
        for path in paths {
            var low = 0, high = last.count
            while low < high {
                let middle = (low + high) / 2
                if last[middle].path < path { low = middle + 1 } else { high = middle }
            }
            if low < last.count, last[low].path == path { found[path] = last[low].id }
        }
        return found
    }

    /// The keys of `old` not in `new`, by a walk over both in path order;
    /// nil when either is not strictly sorted by path.
    private static func departed(from old: [Key], to new: [Key]) -> [Key]? {
        guard isSorted(old), isSorted(new) else { return nil }
        var gone: [Key] = []
        var j = 0
        for key in old {
            while j < new.count, new[j].path < key.path { j += 1 }
            if j < new.count, new[j].path == key.path, new[j].id == key.id { continue }
            gone.append(key)
        }
        return gone
    }

    private static func isSorted(_ keys: [Key]) -> Bool {
        keys.isSorted { $0.path < $1.path }
    }
}
