import Foundation
import Dispatch
import MeshDiagnostics
import MeshModel
import MeshValidate
import MeshYAML

/// Settings of one lint run.
package struct LintOptions: Sendable {
    package var limits = ParseLimits.default
    package var suppressions: [Suppression] = []
    package var policies: [UserPolicy] = []
    package var config = MeshConfig.default
    /// Parse and validate files on every core (the default).
    package var parallel = true
    /// Hand the decoded resources back in `LintReport.resources` (off by
    /// default: `meshc lint` does not need them and freeing them is work).
    package var keepResources = false
    /// Keep each file's bytes in its `FileLint` (read from bytes or a
    /// loader), so a cache can tell which documents an edit left alone.
    package var keepSources = false

    package init() {}
}

/// What a lint run found.
package struct LintReport: Sendable {
    /// Findings in the target files, suppressions applied, sorted.
    package var diagnostics: [Diagnostic]
    /// Target files read (context-only files not counted).
    package var fileCount: Int
    /// Resources decoded from the target files.
    package var resourceCount: Int
    /// The target files' resources in file order, when `keepResources` was set.
    package var resources: [Resource] = []
    /// With `keepResources`: the mesh index the analyzers used (over every
    /// file linted, context included), for the compiler to reuse.
    package var index: MeshIndex? { analysis?.index }
    /// With `keepResources`: the analyzers' findings over `index`, for the
    /// next lint of a later commit to take over (`Linter.run(processed:options:previous:)`).
    package var analysis: Analysis?
    /// Documents of the target files that are not Kubernetes manifests, sorted.
    package var skipped: [SkippedDocument] = []

    package func count(_ severity: Severity) -> Int { diagnostics.filter { $0.severity == severity }.count }

    /// The worst severity found, nil when clean.
    package var worst: Severity? { diagnostics.map(\.severity).max() }
}

/// One input: a file path, or bytes read from standard input.
package enum LintSource: Sendable {
    case file(String)
    case bytes([UInt8], name: String)
    /// Bytes read on demand inside the per-file phase (a git blob); `size`
    /// is checked against the file size limit before `load` runs.
    case loader(name: String, size: Int, load: @Sendable () throws -> [UInt8])

    package var name: String {
        switch self {
        case .file(let path): path
        case .bytes(_, let name), .loader(let name, _, _): name
        }
    }
}

/// The per-file phase's outcome for one file: parse → decode → (targets
/// only) field rules and user policies. A cache can keep it and hand it
/// back to `Linter.run(processed:options:)`.
package struct FileLint: Sendable {
    /// The file's name as diagnostics show it.
    package var name: String
    /// A target's diagnostics are reported; a context file only feeds the index.
    package var isTarget: Bool
    package var resources: [Resource] = []
    package var diagnostics: [Diagnostic] = []
    /// Where the documents that are not Kubernetes manifests start.
    package var skipped: [Mark] = []
    /// The codes the resources' `galley.istio.io/analyze-suppress` annotations name (`Suppressions.annotated`).
    var annotatedSuppressions: [(ResourceRef, [String])] = []
    /// The file's bytes, with `LintOptions.keepSources`.
    package var bytes: [UInt8]?

    /// This result with every resource whose document is byte for byte the
    /// one `earlier` (the same file's result for an earlier blob) read at
    /// the same position replaced by `earlier`'s object: unchanged documents
    /// of an edited file stay the same objects, so an index built over the
    /// last one keeps what depends on them. Without both files' bytes, as is.
    package func keepingUnchanged(from earlier: FileLint) -> FileLint {
        guard let bytes, let old = earlier.bytes, earlier.name == name else { return self }
        var byMark: [Mark: Resource] = [:]
        for resource in earlier.resources where resource.span != nil { byMark[resource.mark] = resource }
        guard !byMark.isEmpty else { return self }
        var result = self
        result.resources = resources.map { resource in
            guard let span = resource.span, let kept = byMark[resource.mark], let keptSpan = kept.span,
                  kept.kind == resource.kind, span == keptSpan, span.upperBound <= bytes.count, keptSpan.upperBound <= old.count,
                  bytes[span].elementsEqual(old[keptSpan]) else { return resource }
            return kept
        }
        return result
    }
}

/// The lint driver: parse, decode and validate fields per file in parallel;
/// index everything (targets and context); run the analyzers; keep the
/// findings in target files; apply suppressions.
package enum Linter {
    package static func run(targets: [LintSource], context: [LintSource] = [], options: LintOptions = LintOptions()) throws -> LintReport {
        var mesh: MeshIndex?
        let report = try lint(targets: targets, context: context, options: options, keeping: &mesh)
        Teardown.release(mesh.take())
        return report
    }

    /// Waits until meshes handed to the background teardown are freed
    /// (benchmarks call it so teardown never overlaps a measurement).
    package static func waitForTeardown() {
        Teardown.wait()
    }

    /// The cross-file phase on per-file results (some may come from a
    /// cache): index everything, run the analyzers, keep the findings in
    /// target files, apply suppressions. Results are taken in list order.
    /// `previous`, the analysis of an earlier run under the same options,
    /// lends the index parts and findings the files left unchanged (see
    /// `MeshIndex.init` and `Validation.analysis`).
    package static func run(processed files: [FileLint], options: LintOptions = LintOptions(), previous: Analysis? = nil) -> LintReport {
        var mesh: MeshIndex?
        let report = analyze(files, options: options, previous: previous, keeping: &mesh)
        Teardown.release(mesh.take())
        return report
    }

    /// `run(processed:options:previous:)` with `work` run on the index and
    /// the target files' resources (`keepResources`) while the analyzers run:
    /// a caller that compiles whenever the findings allow it starts before
    /// they are in, and drops the result when they block it.
    package static func run<T: Sendable>(processed files: [FileLint], options: LintOptions, previous: Analysis?,
                                         beside work: @escaping @Sendable (MeshIndex, [Resource]) -> T) -> (report: LintReport, beside: T) {
        var mesh: MeshIndex?
        let result = Written<T>()
        let report = analyze(files, options: options, previous: previous, keeping: &mesh) { result.value = work($0, $1) }
        Teardown.release(mesh.take())
        return (report, result.value!)
    }

    /// The run itself; the mesh (which holds the last reference to every
    /// resource) is handed back so it can be freed off the caller's path.
    private static func lint(targets: [LintSource], context: [LintSource], options: LintOptions,
                             keeping kept: inout MeshIndex?) throws -> LintReport {
        let contextOnly = context.isEmpty ? context : ContextFiles.excludingTargets(targets, from: context)
        let units = targets.map { (source: $0, isTarget: true) } + contextOnly.map { (source: $0, isTarget: false) }
        let files = try process(units, options: options)
        // The per-file results, once read, are dropped off the caller's path too (10,000 of them took a
        // core for milliseconds at the end of a lint).
        defer { Teardown.release(files) }
        return analyze(files, options: options, previous: nil, keeping: &kept)
    }

    private static func analyze(_ files: [FileLint], options: LintOptions, previous: Analysis?,
                                keeping kept: inout MeshIndex?,
                                beside: (@Sendable (MeshIndex, [Resource]) -> Void)? = nil) -> LintReport {
        var diagnostics: [Diagnostic] = []
        var resources: [Resource] = []
        var targetResources: [Resource] = []
        var targetResourceCount = 0
        var reported = Set<String>()
        var skipped: [SkippedDocument] = []
        var annotated: [(ResourceRef, [String])] = []
        // By index: a file's result is read in place, not copied. Every file a
        // target (a commit through the parse cache): no names to keep, one list shared.
        let allTargets = !files.indices.contains { !files[$0].isTarget }
        resources.reserveCapacity(files.indices.reduce(0) { $0 + files[$1].resources.count })
        for i in files.indices {
            resources.append(contentsOf: files[i].resources)
            if !files[i].annotatedSuppressions.isEmpty { annotated += files[i].annotatedSuppressions }
            guard files[i].isTarget else { continue }
            if !files[i].diagnostics.isEmpty { diagnostics.append(contentsOf: files[i].diagnostics) }
            targetResourceCount += files[i].resources.count
            if !allTargets {
                if options.keepResources { targetResources.append(contentsOf: files[i].resources) }
                reported.insert(files[i].name)
            }
            if !files[i].skipped.isEmpty { skipped += files[i].skipped.map { SkippedDocument(file: files[i].name, mark: $0) } }
        }
        if options.keepResources, allTargets { targetResources = resources }
        let mesh = MeshIndex(resources, config: options.config, previous: previous?.index)
        kept = mesh
        // The local analyzers ran per file (`process`): their findings came with each file's, cached with it.
        // On a thread of its own: on Dispatch's pool it could wait for the analyzers' workers (or, called from a
        // task, for the cooperative threads this one blocks) instead of running beside them.
        let besideDone = DispatchSemaphore(value: 0)
        if let beside {
            Thread { [targetResources] in
                beside(mesh, targetResources)
                besideDone.signal()
            }.start()
        }
        let analysis = Validation.analysis(mesh, analyzers: Analyzers.crossResource, previous: previous)
        if beside != nil { besideDone.wait() }
        // Every file a target (a commit through the parse cache): nothing to filter.
        diagnostics += allTargets ? analysis.diagnostics : analysis.diagnostics.filter { reported.contains($0.file) }
        diagnostics = Suppressions.apply(options.suppressions, annotated: annotated, to: diagnostics)
        diagnostics.sort(by: Diagnostic.ordered)
        let targetCount = allTargets ? files.count : files.indices.count { files[$0].isTarget }
        var report = LintReport(diagnostics: diagnostics, fileCount: targetCount, resourceCount: targetResourceCount, resources: targetResources)
        report.skipped = skipped.sorted()
        if options.keepResources { report.analysis = analysis }
        return report
    }

    /// The per-file phase for `units`, on every core when `options.parallel`;
    /// results in input order. Throws the first file that could not be read.
    package static func process(_ units: [(source: LintSource, isTarget: Bool)], options: LintOptions) throws -> [FileLint] {
        guard options.parallel, units.count > 1 else {
            return try units.map { try process($0.source, isTarget: $0.isTarget, options: options).get() }
        }
        // Each file's result is written by the thread that made it into the array's own storage (no
        // placeholder results to fill and copy out); a file that could not be read leaves an empty one.
        let failures = Failures()
        let results = [FileLint](unsafeUninitializedCapacity: units.count) { buffer, initialized in
            nonisolated(unsafe) let slots = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: units.count) { index in
                switch process(units[index].source, isTarget: units[index].isTarget, options: options) {
                case .success(let file):
                    (slots + index).initialize(to: file)
                case .failure(let error):
                    (slots + index).initialize(to: FileLint(name: units[index].source.name, isTarget: false))
                    failures.record(error, at: index)
                }
            }
            initialized = units.count
        }
        if let first = failures.first { throw first }
        return results
    }

    /// Parse → decode → (targets only) field rules and user policies. The
    /// node tree is dropped here; only typed resources leave.
    static func process(_ source: LintSource, isTarget: Bool, options: LintOptions) -> Result<FileLint, Error> {
        let file: YAMLFile
        var kept: [UInt8]?
        do {
            switch source {
            case .file(let path): file = try FileReader.parseFile(at: path, limits: options.limits)
            case .bytes(let bytes, let name):
                file = YAMLParser.parse(bytes, path: name, limits: options.limits)
                kept = bytes
            case .loader(let name, let size, let load):
                if size > options.limits.maxFileBytes {
                    file = FileReader.oversized(path: name, size: size, limits: options.limits)
                } else {
                    let bytes = try load()
                    file = YAMLParser.parse(bytes, path: name, limits: options.limits)
                    kept = bytes
                }
            }
        } catch {
            return .failure(error)
        }
        let (manifests, skipped) = ManifestDocuments.split(file)
        let decoded = ResourceDecoder.decode(manifests)
        var result = FileLint(name: source.name, isTarget: isTarget, resources: decoded.resources, skipped: skipped)
        result.annotatedSuppressions = Suppressions.annotated(decoded.resources)
        if options.keepSources { result.bytes = kept }
        guard isTarget else { return .success(result) }
        result.diagnostics = file.diagnostics + decoded.diagnostics + Validation.validateFields(decoded.resources)
            + Validation.analyzeLocal(decoded.resources)
        if !options.policies.isEmpty {
            result.diagnostics += PolicyEngine.evaluate(options.policies, on: manifests)
        }
        return .success(result)
    }
}

/// A value written once by the thread that runs the work beside the
/// analyzers and read after the linter waited for that thread.
private final class Written<T>: @unchecked Sendable {
    var value: T?
}

/// The files of a parallel per-file phase that could not be read; the
/// first in input order is the one thrown.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var earliest: (index: Int, error: Error)?

    func record(_ error: Error, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if earliest.map({ index < $0.index }) ?? true { earliest = (index, error) }
    }

    var first: Error? {
        lock.lock()
        defer { lock.unlock() }
        return earliest?.error
    }
}
