import CGit2
import Foundation

/// Remote mirrors: a bare repository per URL in a cache folder, whose
/// `origin` fetches every branch to `refs/remotes/origin/*`, every tag, and
/// the remote's `HEAD` to `refs/remotes/origin/HEAD`.
extension GitRepository {
    /// Refspecs of a mirror's `origin`, in fetch order.
    static let mirrorRefspecs = [
        "+refs/heads/*:refs/remotes/origin/*",
        "+refs/tags/*:refs/tags/*",
        "+HEAD:refs/remotes/origin/HEAD",
    ]

    /// The mirror of `url` in `cacheFolder`: opened when it exists, made
    /// (bare, empty) when it does not. Call `fetch()` to fill it; it
    /// answers the remote with `credentials`. A URL carrying credentials
    /// is refused. Folders meshc makes here are 0700, and the mirror's
    /// folder and files are the owner's alone whatever the umask.
    package static func mirror(of url: String, in cacheFolder: String, credentials: GitCredentials = .none) throws -> GitRepository {
        _ = Git.ready
        if let problem = GitURL.credentialProblem(url) { throw problem }
        let folder = cacheFolder + "/" + mirrorName(url)
        var repo: OpaquePointer?
        if git_repository_open_bare(&repo, folder) == 0, let repo {
            PrivateFiles.restrict(folder)  // mirrors made before meshc set modes
            return GitRepository(handle: repo, path: folder, remoteURL: url, credentials: credentials)
        }
        try createMirror(of: url, at: folder)
        guard git_repository_open_bare(&repo, folder) == 0, let repo else {
            throw SourceError.git(operation: "opening the mirror of \(GitURL.redacted(url)) in \(folder)", reason: Git.lastError())
        }
        return GitRepository(handle: repo, path: folder, remoteURL: url, credentials: credentials)
    }

    /// A folder name unique to `url`: its readable tail plus a hash.
    static func mirrorName(_ url: String) -> String {
        let tail = url.split(whereSeparator: { "/:@".contains($0) }).last.map(String.init) ?? "repo"
        let readable = String(tail.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }.prefix(40))
        let hash = Git.blobID(of: Array(url.utf8)).hex.prefix(12)
        return "\(readable)-\(hash).git"
    }

    /// Makes the bare repository in a temporary folder and renames it into
    /// place, so a crash never leaves a half-made mirror behind; losing a
    /// race with another process making the same mirror is fine.
    private static func createMirror(of url: String, at folder: String) throws {
        let parent = (folder as NSString).deletingLastPathComponent
        let staging = folder + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try PrivateFiles.makeFolder(parent)
        var repo: OpaquePointer?
        guard git_repository_init(&repo, staging, 1) == 0, let repo else {
            throw SourceError.git(operation: "making a mirror of \(GitURL.redacted(url)) in \(staging)", reason: Git.lastError())
        }
        defer { git_repository_free(repo) }
        var remote: OpaquePointer?
        var configured = git_remote_create_with_fetchspec(&remote, repo, "origin", url, mirrorRefspecs[0]) == 0
        git_remote_free(remote)
        for refspec in mirrorRefspecs.dropFirst() where configured {
            configured = git_remote_add_fetch(repo, "origin", refspec) == 0
        }
        guard configured else {
            let reason = Git.lastError()
            try? FileManager.default.removeItem(atPath: staging)
            throw SourceError.fetchFailed(url: GitURL.redacted(url), reason: reason)
        }
        PrivateFiles.restrict(staging)
        if rename(staging, folder) != 0 {
            try? FileManager.default.removeItem(atPath: staging)
        }
    }

    /// Brings a mirror up to date with its remote (branches deleted
    /// upstream are pruned), answering credential requests with the
    /// credentials given to `open`; does nothing for a local repository.
    /// Messages never show the token or a URL's user information.
    package func fetch() throws {
        guard let url = remoteURL else { return }
        if GitURL.isSSH(url) && !Git.supportsSSH { throw SourceError.sshUnsupported(url: displayName) }
        let session = CredentialSession(credentials: credentials, remoteURL: url)
        // A handle of its own, so reads of this repository go on while the
        // network is slow; fetches of one mirror take turns.
        fetchLock.lock()
        defer { fetchLock.unlock() }
        let code: Int32 = {
            var repo: OpaquePointer?
            guard git_repository_open_bare(&repo, path) == 0 else { return -1 }
            defer { git_repository_free(repo) }
            var remote: OpaquePointer?
            guard git_remote_lookup(&remote, repo, "origin") == 0 else { return -1 }
            defer { git_remote_free(remote) }
            var options = git_fetch_options()
            git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
            options.prune = GIT_FETCH_PRUNE
            options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE  // the refspecs name the tags
            options.callbacks.credentials = acquireCredential
            return withExtendedLifetime(session) {
                options.callbacks.payload = Unmanaged.passUnretained(session).toOpaque()
                git_error_clear()  // a message left by an earlier call must not pass for the fetch's
                return git_remote_fetch(remote, nil, &options, "meshc fetch")
            }
        }()
        PrivateFiles.restrict(path)
        guard code == 0 else {
            let reason = GitURL.scrubbed(Git.lastError(), secrets: credentials.secrets)
            if session.gaveUp {
                // The session knows what happened; libgit2's last message is
                // often noise left by a lookup (`http.followRedirects` not found).
                throw SourceError.authenticationFailed(url: displayName, reason: session.summary.isEmpty ? reason : session.summary)
            }
            if code == GIT_EAUTH.rawValue { throw SourceError.authenticationFailed(url: displayName, reason: reason) }
            throw SourceError.fetchFailed(url: displayName, reason: reason)
        }
    }
}
