/// Why a source could not be read. Each message names the repository, URL,
/// ref or path and says what to do; every URL in it goes through
/// `GitURL.redacted` (the cases hold redacted URLs, and `description`
/// scrubs what libgit2 echoed too).
package enum SourceError: Error, CustomStringConvertible, Equatable {
    /// A local path that is not (inside) a git repository libgit2 can open.
    case notARepository(path: String, reason: String)
    /// Fetching a remote failed (unreachable, not a repository, refused).
    case fetchFailed(url: String, reason: String)
    /// The remote wanted credentials meshc could not give.
    case authenticationFailed(url: String, reason: String)
    /// A remote URL with credentials in it (`https://user:token@host/…`),
    /// redacted; refused, never used.
    case credentialsInURL(url: String)
    /// An ssh URL, but libgit2 was built without ssh.
    case sshUnsupported(url: String)
    /// A branch, tag or sha that names no commit; `note` says why it may be
    /// missing (an unfetched mirror, a shallow clone).
    case unknownRef(ref: String, repository: String, note: String?)
    /// A folder the commit (or the disk) does not have.
    case missingPath(path: String, at: String)
    /// A file that could not be read.
    case unreadable(path: String, reason: String)
    /// A folder file whose bytes changed between hashing and reading.
    case changedWhileReading(path: String)
    /// Any other libgit2 failure: what meshc was doing and libgit2's message.
    case git(operation: String, reason: String)

    package var description: String { GitURL.scrubbed(text) }

    private var text: String {
        switch self {
        case .notARepository(let path, let reason):
            "\(path): cannot open a git repository here (\(reason)); give the folder of a clone, a bare repository, or a remote URL"
        case .fetchFailed(let url, let reason):
            "cannot fetch \(url): \(reason); check the URL and that `git ls-remote \(url)` works from this machine"
        case .authenticationFailed(let url, let reason):
            "cannot fetch \(url): authentication failed (\(reason)); for https put a token in --git-token-file FILE "
                + "(or MESHC_GIT_TOKEN) with --git-username if the host wants another user than x-access-token "
                + "(GitLab: oauth2); for ssh give --git-ssh-key FILE or load the key into the ssh agent (`ssh-add`)"
        case .credentialsInURL(let url):
            "\(url): the URL carries credentials (a user name or token before `@`), which meshc never reads from a URL "
                + "(it would show in process lists, logs and the mirror's config); remove them from the URL and put the "
                + "token in --git-token-file FILE (or MESHC_GIT_TOKEN), the user name in --git-username"
        case .sshUnsupported(let url):
            "cannot fetch \(url): this libgit2 was built without ssh support; use an https:// or file:// URL"
        case .unknownRef(let ref, let repository, let note):
            "\(repository): no commit named `\(ref)`; give a branch, tag, `HEAD`, `origin/<branch>` or a commit sha"
                + (note.map { " (\($0))" } ?? "")
        case .missingPath(let path, let at):
            "\(at): no folder `\(path)`; give a folder that exists there (relative to the repository root)"
        case .unreadable(let path, let reason):
            "\(path): cannot read: \(reason)"
        case .changedWhileReading(let path):
            "\(path): changed while meshc read it; run again once the edit is done"
        case .git(let operation, let reason):
            "\(operation): \(reason)"
        }
    }
}
