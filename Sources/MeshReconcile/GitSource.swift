import Foundation
import MeshSource

/// Where the reconciler reads the desired state: a ref of a git repository
/// (a local one, or a mirror of a remote fetched before each read), from a
/// folder down.
package struct GitSource: Sendable {
    /// The repository (`GitRepository.open`: a path or a URL).
    package let repository: GitRepository
    /// The ref followed.
    package let ref: String
    /// The folder inside the repository, nil for the root.
    package let under: String?

    /// Opens `location`. `ref` nil picks `HEAD` for a local repository and
    /// `origin/HEAD` (the remote's default branch) for a remote.
    package init(location: String, ref: String?, under: String?, credentials: GitCredentials = .none) throws {
        repository = try GitRepository.open(location, credentials: credentials)
        self.ref = ref ?? (repository.remoteURL == nil ? "HEAD" : "origin/HEAD")
        self.under = under
    }

    /// Fetches (mirrors only) and resolves the ref to a commit.
    package func head() throws -> ObjectID {
        try repository.fetch()
        return try repository.resolve(ref)
    }

    /// The manifest files of `commit`, less what its `.meshcignore` leaves
    /// out: the reconciler applies exactly the files `meshc plan --base/--head`
    /// and `lint` of that commit see.
    package func snapshot(_ commit: ObjectID) throws -> SourceSnapshot {
        try repository.snapshot(at: commit, under: under).excluding(repository.ignoreRules(at: commit))
    }
}
