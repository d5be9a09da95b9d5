import ArgumentParser
import MeshCompile
import MeshLint
import MeshPipeline
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
    private var opened: GitRepository?

    /// Refs of the repository at `location` (a local path or a remote URL,
    /// mirrored under the meshc cache folder), manifests from `under` down,
    /// less what each commit's `.meshcignore` and then `excluding` leave out.
    init(location: String, under: String?, options: CompileOptions, excluding: IgnoreRules = .none, credentials: GitCredentials = .none) {
        self.location = location
        self.under = under
        self.excluding = excluding
        self.credentials = credentials
        pipeline = Pipeline(options: options)
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
    func build(at ref: String, side: String) throws -> MeshBuild {
        let repo = try repository()
        let commit = try repo.resolve(ref)
        let snapshot = try repo.snapshot(at: commit, under: under).excluding(repo.ignoreRules(at: commit).adding(excluding))
        let before = pipeline.cache.statistics
        let report = try pipeline.lint(snapshot)
        let parsed = pipeline.cache.statistics.misses - before.misses, reused = pipeline.cache.statistics.hits - before.hits
        let name = "\(side) \(ref) (\(commit.short))"
        FileHandleOutput.standardError("meshc plan: \(name): \(snapshot.files.count) files, \(parsed) parsed, \(reused) from the cache")
        return try Manifests.result(pipeline.build(report), command: "plan", consequence: "no plan: the manifests at \(name) have errors",
                                    findingsToStandardError: true)
    }
}
