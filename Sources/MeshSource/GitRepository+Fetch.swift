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
    /// (bare, empty) when it does not. Call `fetch()` to fill it.
    public static func mirror(of url: String, in cacheFolder: String) throws -> GitRepository {
        _ = Git.ready
        let folder = cacheFolder + "/" + mirrorName(url)
        var repo: OpaquePointer?
        if git_repository_open_bare(&repo, folder) == 0, let repo {
            return GitRepository(handle: repo, path: folder, remoteURL: url)
        }
        try createMirror(of: url, at: folder)
        guard git_repository_open_bare(&repo, folder) == 0, let repo else {
            throw SourceError.git(operation: "opening the mirror of \(redacted(url)) in \(folder)", reason: Git.lastError())
        }
        return GitRepository(handle: repo, path: folder, remoteURL: url)
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
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw SourceError.unreadable(path: parent, reason: "cannot make the mirror cache folder: \(error.localizedDescription)")
        }
        var repo: OpaquePointer?
        guard git_repository_init(&repo, staging, 1) == 0, let repo else {
            throw SourceError.git(operation: "making a mirror of \(redacted(url)) in \(staging)", reason: Git.lastError())
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
            throw SourceError.fetchFailed(url: redacted(url), reason: reason)
        }
        if rename(staging, folder) != 0 {
            try? FileManager.default.removeItem(atPath: staging)
        }
    }

    /// Brings a mirror up to date with its remote (branches deleted
    /// upstream are pruned); does nothing for a local repository.
    public func fetch() throws {
        guard let url = remoteURL else { return }
        let isSSH = url.hasPrefix("ssh://") || url.hasPrefix("git+ssh://") || url.hasPrefix("ssh+git://")
            || (!url.contains("://") && Self.isRemote(url))
        if isSSH && !Git.supportsSSH { throw SourceError.sshUnsupported(url: displayName) }
        let attempts = CredentialAttempts()
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
            return withExtendedLifetime(attempts) {
                options.callbacks.payload = Unmanaged.passUnretained(attempts).toOpaque()
                return git_remote_fetch(remote, nil, &options, "meshc fetch")
            }
        }()
        guard code == 0 else {
            let reason = Git.lastError()
            if code == GIT_EAUTH.rawValue || attempts.count > 0 && reason.lowercased().contains("auth") {
                throw SourceError.authenticationFailed(url: displayName, reason: reason)
            }
            throw SourceError.fetchFailed(url: displayName, reason: reason)
        }
    }
}

/// How often the remote asked for credentials during one fetch.
private final class CredentialAttempts {
    var count = 0
}

/// libgit2's credential callback: a user name from the URL (or `git`),
/// then a key from the ssh agent; https gets nothing (anonymous). Gives up
/// after a few attempts instead of letting libgit2 ask forever.
private let acquireCredential: git_credential_acquire_cb = { out, _, usernameFromURL, allowedTypes, payload in
    guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
    let attempts = Unmanaged<CredentialAttempts>.fromOpaque(payload).takeUnretainedValue()
    attempts.count += 1
    guard attempts.count <= 3 else { return GIT_EAUTH.rawValue }
    let user = usernameFromURL.map { String(cString: $0) } ?? "git"
    if allowedTypes & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
        return git_credential_ssh_key_from_agent(out, user)
    }
    if allowedTypes & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
        return git_credential_username_new(out, user)
    }
    return GIT_PASSTHROUGH.rawValue
}
