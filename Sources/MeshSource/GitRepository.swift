import CGit2
import Foundation

/// A git repository read straight from its object database: no checkout.
///
/// Either a local repository (a worktree, any folder inside one, or a bare
/// repository) or a bare mirror of a remote URL kept in a cache folder and
/// brought up to date by `fetch()`. libgit2 handles are not safe to share
/// between threads, so every read takes the repository's lock; blobs can
/// still be requested from many threads (the parse cache does). `fetch()`
/// opens a handle of its own and does not hold up reads.
package final class GitRepository: @unchecked Sendable {
    /// The local path given, or the folder of the mirror.
    package let path: String
    /// The remote URL this mirror follows; nil for a local repository.
    package let remoteURL: String?
    /// The name used in messages: the remote URL (`GitURL.redacted`) or the path.
    package var displayName: String { remoteURL.map(GitURL.redacted) ?? path }
    /// What `fetch()` answers when the remote asks for credentials.
    let credentials: GitCredentials

    let handle: OpaquePointer
    private let lock = NSLock()
    /// Blob sizes read so far (a blob id names its content, so its size never changes): the
    /// reconciler's snapshot of each new commit reads only the new blobs' headers.
    private var blobSizes: [ObjectID: Int] = [:]
    /// The manifest files of the subtrees the last two walks went through,
    /// by tree id and the path it sat at: a commit that changed one folder
    /// reads only that folder's tree again (`files(at:)`).
    var subtrees = (current: [SubtreeKey: [TreeFile]](), previous: [SubtreeKey: [TreeFile]]())
    /// Serialises `fetch()`, which works on a handle of its own.
    let fetchLock = NSLock()

    /// Opens the local repository at `path` (a worktree, a folder inside
    /// one, or a bare repository).
    package convenience init(path: String) throws {
        _ = Git.ready
        var repo: OpaquePointer?
        guard git_repository_open_ext(&repo, path, 0, nil) == 0, let repo else {
            throw SourceError.notARepository(path: path, reason: Git.lastError())
        }
        self.init(handle: repo, path: path, remoteURL: nil, credentials: .none)
    }

    init(handle: OpaquePointer, path: String, remoteURL: String?, credentials: GitCredentials) {
        self.handle = handle
        self.path = path
        self.remoteURL = remoteURL
        self.credentials = credentials
    }

    deinit { git_repository_free(handle) }

    /// Opens `location`: a remote URL (`https://`, `ssh://`, `file://`,
    /// `git@host:path`) as a mirror in `cacheFolder`, anything else as a
    /// local path. A mirror is not fetched here: call `fetch()`, which
    /// answers the remote with `credentials`. A URL that carries
    /// credentials (`https://user:token@host/…`) is refused.
    package static func open(_ location: String, cacheFolder: String = defaultCacheFolder,
                            credentials: GitCredentials = .none) throws -> GitRepository {
        isRemote(location)
            ? try mirror(of: location, in: cacheFolder, credentials: credentials)
            : try GitRepository(path: location)
    }

    /// Whether `location` is a remote URL rather than a local path: it has
    /// a scheme (`file://`, `https://`…) or is scp-like (`user@host:path`).
    package static func isRemote(_ location: String) -> Bool {
        if location.contains("://") { return true }
        guard let colon = location.firstIndex(of: ":") else { return false }
        let host = location[..<colon]
        return !host.isEmpty && !host.contains("/") && host.contains("@")
    }

    /// `$XDG_CACHE_HOME/meshc/git`, or `~/.cache/meshc/git`.
    package static var defaultCacheFolder: String { cacheFolder("git") }

    /// meshc's cache folder `name`: `$XDG_CACHE_HOME/meshc/<name>`, or `~/.cache/meshc/<name>`
    /// (git mirrors, the plan cache).
    package static func cacheFolder(_ name: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSHomeDirectory() + "/.cache"
        return base + "/meshc/" + name
    }

    /// Runs `body` with the libgit2 handle, holding the lock.
    func locked<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(handle)
    }

    // MARK: Refs and commits

    /// The commit `ref` names: a branch, tag, `HEAD`, a full or short sha,
    /// `origin/main`, or any rev-parse expression (`main~1`). In a mirror,
    /// and as a fallback in a clone, a bare branch name is looked up among
    /// origin's branches as well.
    package func resolve(_ ref: String) throws -> ObjectID {
        try locked { repo in
            let candidates = ref.isEmpty ? [] : [ref, "refs/remotes/origin/\(ref)"]
            for spec in candidates {
                var object: OpaquePointer?
                guard git_revparse_single(&object, repo, spec) == 0 else { continue }
                defer { git_object_free(object) }
                var commit: OpaquePointer?
                guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0 else { continue }
                defer { git_object_free(commit) }
                return ObjectID(git_object_id(commit).pointee)
            }
            throw unknownRef(ref, in: repo)
        }
    }

    /// Metadata of the commit `id`.
    package func commit(_ id: ObjectID) throws -> GitCommit {
        try locked { repo in
            let commit = try lookupCommit(id, in: repo)
            defer { git_commit_free(commit) }
            let message = git_commit_summary(commit).map { String(cString: $0) } ?? ""
            let author = git_commit_author(commit)?.pointee.name.map { String(cString: $0) } ?? ""
            let time = Date(timeIntervalSince1970: TimeInterval(git_commit_time(commit)))
            return GitCommit(id: id, time: time, summary: message, author: author)
        }
    }

    /// The bytes of blob `id`.
    package func blob(_ id: ObjectID) throws -> [UInt8] {
        try locked { repo in
            var oid = id.oid
            var blob: OpaquePointer?
            guard git_blob_lookup(&blob, repo, &oid) == 0, let blob else {
                throw SourceError.git(operation: "\(displayName): reading blob \(id.short)", reason: Git.lastError())
            }
            defer { git_blob_free(blob) }
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
            return [UInt8](UnsafeRawBufferPointer(start: content, count: size))
        }
    }

    /// The size in bytes of blob `id`, read from the object header only.
    package func blobSize(_ id: ObjectID) throws -> Int {
        try blobSizes(of: [id])[0]
    }

    /// The sizes of blobs `ids`, in order, under one hold of the lock.
    package func blobSizes(of ids: [ObjectID]) throws -> [Int] {
        try locked { repo in
            try ids.map { id in
                if let known = blobSizes[id] { return known }
                let size = try blobSize(id, in: repo)
                if blobSizes.count >= 1 << 18 { blobSizes.removeAll(keepingCapacity: true) }
                blobSizes[id] = size
                return size
            }
        }
    }

    func blobSize(_ id: ObjectID, in repo: OpaquePointer) throws -> Int {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, repo) == 0 else {
            throw SourceError.git(operation: "\(displayName): opening the object database", reason: Git.lastError())
        }
        defer { git_odb_free(odb) }
        var oid = id.oid
        var size = 0
        var type = GIT_OBJECT_INVALID
        guard git_odb_read_header(&size, &type, odb, &oid) == 0 else {
            throw SourceError.git(operation: "\(displayName): reading blob \(id.short)", reason: Git.lastError())
        }
        return size
    }

    /// Looks up a commit; the caller frees it.
    func lookupCommit(_ id: ObjectID, in repo: OpaquePointer) throws -> OpaquePointer {
        var oid = id.oid
        var commit: OpaquePointer?
        guard git_commit_lookup(&commit, repo, &oid) == 0, let commit else {
            throw unknownRef(id.hex, in: repo)
        }
        return commit
    }

    /// The error for a ref or sha that names no commit here, with the
    /// likely reason when there is one.
    private func unknownRef(_ ref: String, in repo: OpaquePointer) -> SourceError {
        let note: String? = if remoteURL != nil {
            "the mirror holds what the last fetch brought: fetch first, or check the ref exists upstream"
        } else if git_repository_is_shallow(repo) == 1 {
            "this is a shallow clone: fetch the history the ref needs (`git fetch --unshallow`, or `fetch-depth: 0` in CI)"
        } else {
            nil
        }
        return .unknownRef(ref: ref, repository: displayName, note: note)
    }
}
