import ArgumentParser
import MeshEmit
import MeshLint
import MeshModel
import MeshSource

/// The git side of `meshc plan --base REF --head REF`: one repository,
/// opened (and, for a URL, fetched) once, and one `ParseCache` shared by
/// both refs, so the second ref re-parses only the blobs that differ.
final class PlanRefs {
    /// Where listeners compiled from a ref read their `routes.json`:
    /// `<folder>/<proxy>/routes.json`. Both refs (and manifest PATHs planned
    /// against a ref) use it, so listeners compare equal when their routes'
    /// path is all that could differ.
    static let folder = EmitOptions.deliveryRoot

    private let location: String
    private let under: String?
    private let cache: ParseCache
    private var opened: GitRepository?

    /// Refs of the repository at `location` (a local path or a remote URL,
    /// mirrored under the meshc cache folder), manifests from `under` down.
    init(location: String, under: String?) {
        self.location = location
        self.under = under
        var options = LintOptions()
        options.keepResources = true
        cache = ParseCache(options: options)
    }

    /// The repository, opened and fetched the first time it is needed.
    private func repository() throws -> GitRepository {
        if let opened { return opened }
        let repo = try GitRepository.open(location)
        try repo.fetch()
        opened = repo
        return repo
    }

    /// The decoded resources of `ref` from the repository, linted through the
    /// shared cache. Says on standard error how many files were parsed and
    /// how many came from the cache; prints the findings and exits 1 when
    /// the manifests at `ref` have errors. `side` (base, head) names it.
    func resources(at ref: String, side: String) throws -> [Resource] {
        let repo = try repository()
        let commit = try repo.resolve(ref)
        let snapshot = try repo.snapshot(at: commit, under: under)
        let before = cache.statistics
        let report = try cache.lint(snapshot)
        let parsed = cache.statistics.misses - before.misses, reused = cache.statistics.hits - before.hits
        let name = "\(side) \(ref) (\(commit.short))"
        FileHandleOutput.standardError("meshc plan: \(name): \(snapshot.files.count) files, \(parsed) parsed, \(reused) from the cache")
        guard report.count(.error) == 0 else {
            Manifests.reportLintErrors(report, command: "plan", consequence: "no plan: the manifests at \(name) have errors",
                                       findingsToStandardError: true)
            throw ExitCode(1)
        }
        return report.resources
    }
}
