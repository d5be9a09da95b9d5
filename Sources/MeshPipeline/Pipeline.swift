import Foundation
import MeshCompile
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshLint
import MeshModel
import MeshSnapshot
import MeshSource
import MeshValidate
import Synchronization

/// Why manifests give no build. Nothing built from them is written or pushed.
package enum PipelineError: Error, Sendable, CustomStringConvertible {
    /// Lint found errors (the report holds them).
    case lintErrors(LintReport)
    /// The compiler's output is inconsistent (a route names a missing cluster…): a meshc bug.
    case inconsistent([String])
    /// The source could not be read (fetch, ref, unreadable file).
    case source(String)

    package var description: String {
        switch self {
        case .lintErrors(let report): "lint errors, not applied:\n" + report.text(minimum: .error).trimmingCharacters(in: .newlines)
        case .inconsistent(let lines): "the compiled config is inconsistent, not applied (a meshc bug: please report it):\n" + lines.joined(separator: "\n")
        case .source(let reason): reason
        }
    }
}

/// What one pass of the pipeline gives: every proxy's IR and snapshot.
package struct MeshBuild: Sendable {
    /// The compiler's result (per-proxy IR, notes), for `meshc route`.
    package var compiled: CompileResult
    /// One emitted proxy per compiled proxy, sorted by name.
    package var proxies: [EmittedProxy]

    /// The compiler's notes (parts of the manifests it does not lower yet).
    package var notes: [CompileNote] { compiled.notes }

    /// The desired state of every proxy: snapshot and agent address.
    package func desired(source: SourceLabel) -> DesiredState {
        let configs = Dictionary(compiled.proxies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return DesiredState(source: source, proxies: proxies.map {
            DesiredProxy(snapshot: $0.snapshot, agentAddress: configs[$0.proxy]?.agentAddress,
                         identity: configs[$0.proxy]?.identity ?? WorkloadIdentity(namespace: "default", serviceAccount: "default"))
        },
                            notes: notes.map(\.description))
    }
}

/// Source → lint (resources and the mesh index) → compile → emit →
/// snapshots: the one way every command and benchmark builds manifests.
/// A pipeline lives as long as its user: its parse cache re-parses only the
/// blobs a new commit changed (the reconciler keeps one).
package final class Pipeline: Sendable {
    /// The long-lived cache (`keepResources` on).
    package let cache: ParseCache
    /// Compile settings (which proxies, implicit-proxy ports).
    package let options: CompileOptions
    /// Renders of the last build, reused where the next one's IR is the same
    /// (`useEmitCache`: long-lived pipelines, the reconciler and a plan of two
    /// refs; a one-shot build would only pay for hashing every IR value).
    package let emitCache: EmitCache?
    /// The last compile's memo (long-lived pipelines, with the emit cache):
    /// a commit that changes VirtualServices only builds no cluster again.
    private let lastCompile = Mutex<CompileMemo?>(nil)

    /// A pipeline for `options`, with its own parse cache; `lint` gives the
    /// lint settings (limits, policies), resources are always kept. A
    /// long-lived pipeline (`useEmitCache`) also keeps each file's bytes, so
    /// an edited file's unchanged documents keep their objects, and the last
    /// compile's memo (`CompileMemo`).
    /// `keepSnapshots` is the parse cache's (how many recent commits keep their files cached).
    package init(options: CompileOptions = CompileOptions(), lint: LintOptions = LintOptions(), keepSnapshots: Int = 2,
                 useEmitCache: Bool = false) {
        var lint = lint
        lint.keepResources = true
        lint.keepSources = useEmitCache
        lint.config = options.config
        self.cache = ParseCache(options: lint, keepSnapshots: keepSnapshots)
        self.options = options
        self.emitCache = useEmitCache ? EmitCache() : nil
    }

    /// Lints manifest files and folders (not through the cache: files have no blob ids).
    package func lint(paths: [String]) throws -> LintReport {
        try lint(sources: try SourceFiles.expand(paths).map(LintSource.file))
    }

    /// Lints sources (files, bytes under a name of their own).
    package func lint(sources: [LintSource]) throws -> LintReport {
        try Linter.run(targets: sources, options: cache.options)
    }

    /// Lints a commit's or a folder's files through the parse cache.
    package func lint(_ snapshot: SourceSnapshot) throws -> LintReport {
        try cache.lint(snapshot)
    }

    /// Compiles and emits a lint report made by this pipeline; lint errors
    /// and inconsistent output are errors. `timed`, when given, hears each
    /// stage's name and wall seconds (each compiler pass, then `emit`) — for benchmarks.
    package func build(_ report: LintReport, timed: ((String, Double) -> Void)? = nil) -> Result<MeshBuild, PipelineError> {
        if !BuildGate.blocking(report, strict: options.strict).isEmpty { return .failure(.lintErrors(report)) }
        return finish(compile(report.resources, index: report.index, timed: timed.map { timed in { timed("compile: \($0)", $1) } }),
                      timed: timed)
    }

    /// Lints `sources` (files, not through the cache) and builds them, the
    /// compiler beside the cross-file analyzers as `desired` runs it (its
    /// result dropped when their findings block the build): the report,
    /// and the build or why there is none. Throws when a file cannot be read.
    package func build(sources: [LintSource], timed: ((String, Double) -> Void)? = nil) throws -> (LintReport, Result<MeshBuild, PipelineError>) {
        let linting = ContinuousClock.now
        let files = try Linter.process(sources.map { (source: $0, isTarget: true) }, options: cache.options)
        let (report, compiled) = Linter.run(processed: files, options: cache.options, previous: nil) { self.compile(beside: $0, $1) }
        return (report, finish(report, compiled, linting: linting, timed: timed))
    }

    /// What the compiler gave beside the analyzers, with each pass's seconds.
    private typealias Compiled = (result: CompileResult, passes: [(String, Double)])

    /// The compile run beside the analyzers (`build(sources:)`, `desired`): its passes are timed for after.
    private func compile(beside index: MeshIndex, _ resources: [Resource]) -> Compiled {
        var passes: [(String, Double)] = []
        let result = compile(resources, index: index, timed: { passes.append(("compile: \($0)", $1)) })
        return (result, passes)
    }

    /// After a lint that compiled beside its analyzers (started at
    /// `linting`): the build, unless the findings block it. `timed` hears
    /// the lint, then the passes (they ran inside it, on another thread:
    /// listed after it, not added to it), then the emit.
    private func finish(_ report: LintReport, _ compiled: Compiled, linting: ContinuousClock.Instant,
                        timed: ((String, Double) -> Void)?) -> Result<MeshBuild, PipelineError> {
        timed?("lint, compile beside it", (ContinuousClock.now - linting).seconds)
        if !BuildGate.blocking(report, strict: options.strict).isEmpty { return .failure(.lintErrors(report)) }
        for (name, seconds) in compiled.passes { timed?(name, seconds) }
        return finish(compiled.result, timed: timed)
    }

    /// The compiler over the last compile's memo.
    private func compile(_ resources: [Resource], index: MeshIndex?, timed: ((String, Double) -> Void)?) -> CompileResult {
        let previous = emitCache == nil ? nil : lastCompile.withLock { $0 }
        return Compiler.compile(resources, index: index, options: options, previous: previous, keepMemo: emitCache != nil, timed: timed)
    }

    /// Emits `compiled`, a compile of findings that do not block it, and keeps its memo.
    private func finish(_ compiled: CompileResult, timed: ((String, Double) -> Void)?) -> Result<MeshBuild, PipelineError> {
        // The memo this one replaces holds every cluster and lowered host of the last commit.
        let replaced = emitCache == nil ? nil : lastCompile.withLock { memo in
            defer { memo = compiled.memo }
            return memo
        }
        let emitting = ContinuousClock.now
        emitCache?.rotate()
        let proxies = Emitter.emitAll(compiled.proxies, cache: emitCache)
        timed?("emit (\(proxies.count) proxies)", (ContinuousClock.now - emitting).seconds)
        // What the last commit's build left is freed in the background once this one is done, not beside it.
        defer {
            Teardown.release(consume replaced)
            emitCache?.releaseRetired()
        }
        let errors = proxies.flatMap { $0.consistencyErrors() }
        if !errors.isEmpty { return .failure(.inconsistent(errors)) }
        return .success(MeshBuild(compiled: compiled, proxies: proxies))
    }

    /// The desired state of a commit or folder, through the parse cache.
    /// `timed`, when given, hears `lint` and then each stage of `build`.
    /// The compiler runs beside the cross-file analyzers (it reads the index
    /// they read) and its result is dropped when their findings block the build.
    package func desired(_ snapshot: SourceSnapshot, timed: ((String, Double) -> Void)? = nil) -> Result<DesiredState, PipelineError> {
        let linting = ContinuousClock.now
        let files: [FileLint]
        do { files = try cache.processed(snapshot) } catch { return .failure(.source(String(describing: error))) }
        let (report, compiled) = cache.lint(processed: files) { self.compile(beside: $0, $1) }
        return finish(report, compiled, linting: linting, timed: timed).map { $0.desired(source: SourceLabel(snapshot.origin)) }
    }
}

extension SourceLabel {
    /// The status label of a snapshot's origin.
    package init(_ origin: SourceSnapshot.Origin) {
        switch origin {
        case .commit(let commit): self.init(id: commit.id.hex, time: commit.time, summary: commit.summary)
        case .directory(let path): self.init(id: path)
        }
    }
}
