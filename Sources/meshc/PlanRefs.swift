import Foundation
import ArgumentParser
import MeshCompile
import MeshLint
import MeshPipeline
import MeshPlan
import MeshSource

/// The git side of `meshc plan --base REF --head REF`: one repository,
/// opened (and, for a URL, fetched) once, and one pipeline whose parse cache
/// both refs share, so the second ref re-parses only the blobs that differ.
final class PlanRefs {
    private let location: String
    private let under: String?
    private let credentials: GitCredentials
    private let pipeline: Pipeline
    private let excluding: IgnoreRules
    /// Desired states of commits built before (`--cache-dir`); nil with `--no-cache`.
    private let desiredCache: DesiredCache?
    private var opened: GitRepository?
    private var resolvedRefs: [String: (commit: ObjectID, snapshot: SourceSnapshot, key: String?)] = [:]
    /// Entries `prefetch` is reading, by key.
    private var prefetched: [String: Prefetched] = [:]

    /// Refs of the repository at `location` (a local path or a remote URL,
    /// mirrored under the meshc cache folder), manifests from `under` down,
    /// less what each commit's `.meshcignore` and then `excluding` leave out.
    init(location: String, under: String?, options: CompileOptions, excluding: IgnoreRules = .none, credentials: GitCredentials = .none,
         cache: DesiredCache? = nil) {
        self.location = location
        self.under = under
        self.excluding = excluding
        self.credentials = credentials
        self.desiredCache = cache
        // The head reuses the base's renders.
        pipeline = Pipeline(options: options, useEmitCache: true)
    }

    /// One ref's proxies and the compiler's notes about them.
    struct Built {
        var proxies: [DesiredProxy]
        var notes: [String]
    }

    /// The repository, opened and fetched the first time it is needed.
    private func repository() throws -> GitRepository {
        if let opened { return opened }
        let repo = try GitRepository.open(location, credentials: credentials)
        try repo.fetch()
        opened = repo
        return repo
    }

    /// The build of `ref`'s manifests, linted through the shared cache. Says
    /// on standard error how many files were parsed and how many came from
    /// the cache; prints the findings and exits 1 when the manifests at
    /// `ref` have errors. `side` (base, head) names it.
    func build(at ref: String, side: String) throws -> Built {
        let (result, name) = try compile(ref, side: side)
        switch result {
        case .success(let built): return built
        case .failure(let error):
            // Prints the findings or the reason and throws the exit code.
            _ = try Manifests.result(.failure(error), command: "plan", consequence: "no plan: the manifests at \(name) have errors",
                                     findingsToStandardError: true)
            throw ExitCode(1)
        }
    }

    /// What the base gives: its build, or why it does not build.
    enum Base {
        case built(Built)
        /// The note the plan carries: the head is planned against no proxies.
        case broken(PlanNote)
    }


    /// The base's build; when its manifests have errors (a pull request
    /// that fixes the branch it targets), a note naming the first errors
    /// instead, also printed on standard error, so the head still gets a plan.
    func base(at ref: String) throws -> Base {
        let (result, name) = try compile(ref, side: "base")
        let note: PlanNote
        switch result {
        case .success(let build): return .built(build)
        case .failure(.lintErrors(let report)):
            var first = report
            let errors = BuildGate.blocking(report, strict: pipeline.options.strict)
            first.diagnostics = Array(errors.prefix(Self.namedErrors))
            note = Self.brokenBase(name, errors.count == 1 ? "1 error" : "\(errors.count) errors",
                                   first.text().split(separator: "\n").map(String.init), of: errors.count)
        case .failure(.inconsistent(let lines)):
            note = Self.brokenBase(name, "inconsistent output, a meshc bug", Array(lines.prefix(Self.namedErrors)), of: lines.count)
        case .failure(.source(let reason)):
            note = Self.brokenBase(name, "unreadable", [reason], of: 1)
        }
        FileHandleOutput.standardError((["meshc plan: note: \(note.text)"] + note.details.map { "  \($0)" }).joined(separator: "\n"))
        return .broken(note)
    }

    /// How many of a broken base's errors its note names.
    static let namedErrors = 3

    /// The note for a base that does not build: why (`1 error`), and `details`, the first of `count` errors.
    private static func brokenBase(_ name: String, _ why: String, _ details: [String], of count: Int) -> PlanNote {
        let which = count == 1 ? "its error" : count <= namedErrors ? "its errors" : "its first \(details.count) errors"
        return PlanNote("the \(name) does not build (\(why)), so every proxy of the head is shown as created; \(which):",
                        details: details + (count > details.count ? ["… and \(count - details.count) more"] : []))
    }

    /// `ref`'s manifests linted through the shared cache and compiled, and
    /// the ref's name for messages (`base main (5c0ffee12345)`); says on
    /// standard error how many files were parsed and how many came from the cache.
    ///
    /// A commit whose manifests built before with the same meshc and options
    /// comes from the desired-state cache (`DesiredCache`) without a parse; one
    /// that builds now is written to it.
    private func compile(_ ref: String, side: String) throws -> (Result<Built, PipelineError>, String) {
        let (commit, snapshot, key) = try resolved(ref)
        let name = "\(side) \(ref) (\(commit.short))"
        let cached = key.flatMap { key in prefetched.removeValue(forKey: key).map { $0.wait() } ?? desiredCache?.lookup(key) }
        if let desiredCache, let cached {
            FileHandleOutput.standardError("meshc plan: \(name): \(snapshot.files.count) files, built before: from the plan cache \(desiredCache.folder)")
            return (.success(Built(proxies: cached.proxies, notes: cached.notes)), name)
        }
        let before = pipeline.cache.statistics
        let report = try pipeline.lint(snapshot)
        let parsed = pipeline.cache.statistics.misses - before.misses, reused = pipeline.cache.statistics.hits - before.hits
        FileHandleOutput.standardError("meshc plan: \(name): \(snapshot.files.count) files, \(parsed) parsed, \(reused) from the cache")
        let result = pipeline.build(report).map { build in
            Built(proxies: build.desired(source: SourceLabel(id: side)).proxies, notes: build.notes.map(\.description))
        }
        if case .success(let built) = result, let desiredCache, let key { desiredCache.store(key, proxies: built.proxies, notes: built.notes) }
        return (result, name)
    }

    /// `ref`'s commit, its manifest files and their plan-cache key (nil with `--no-cache`), read once per ref.
    private func resolved(_ ref: String) throws -> (commit: ObjectID, snapshot: SourceSnapshot, key: String?) {
        if let known = resolvedRefs[ref] { return known }
        let repo = try repository()
        let commit = try repo.resolve(ref)
        let snapshot = try repo.snapshot(at: commit, under: under).excluding(repo.ignoreRules(at: commit).adding(excluding))
        let key = desiredCache.map { _ in
            DesiredCache.key(build: Self.buildIdentity, options: pipeline.options, files: snapshot.files.map { ($0.path, $0.id.hex) })
        }
        resolvedRefs[ref] = (commit, snapshot, key)
        return (commit, snapshot, key)
    }

    /// Starts reading `ref`'s plan-cache entry on another core, for a later
    /// `build(at:)` of it: a CI rerun decodes the head's entry while it reads
    /// the base's. Does nothing without a cache, or when `ref` does not resolve
    /// (its `build` reports that).
    func prefetch(_ ref: String) {
        guard let desiredCache, let key = (try? resolved(ref))?.key, prefetched[key] == nil else { return }
        let entry = Prefetched()
        prefetched[key] = entry
        DispatchQueue.global().async {
            entry.finish(desiredCache.lookup(key))
        }
    }

    /// A plan-cache entry being read on another thread.
    private final class Prefetched: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: (proxies: [DesiredProxy], notes: [String])?

        func finish(_ result: (proxies: [DesiredProxy], notes: [String])?) {
            self.result = result
            done.signal()
        }

        /// The entry, once read (nil: a miss).
        func wait() -> (proxies: [DesiredProxy], notes: [String])? {
            done.wait()
            return result
        }
    }

    /// This meshc: version, commit and, for a development build (no commit), the binary's size and time,
    /// so a rebuilt meshc never reads what another one wrote.
    static let buildIdentity: String = {
        var identity = "\(MeshcVersion.version) \(MeshcVersion.commit)"
        // The binary itself: /proc/self/exe is a link whose own attributes change with every process.
        if let binary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
           let attributes = try? FileManager.default.attributesOfItem(atPath: binary),
           let size = attributes[.size] as? Int, let date = attributes[.modificationDate] as? Date {
            identity += " \(size) \(Int(date.timeIntervalSince1970))"
        }
        return identity
    }()
}
