import CGit2
import MeshLint

/// One manifest file in a commit's tree.
package struct TreeFile: Hashable, Sendable {
    /// Path from the repository root, `/`-separated.
    package let path: String
    /// The blob holding its bytes.
    package let id: ObjectID
}

extension GitRepository {
    /// The manifest files (`.yaml`, `.yml`, `.json`) of `commit`, from the
    /// repository root or from `folder` down, sorted by path. Read from the
    /// tree, no checkout. Like a folder walk, hidden entries (`.github/`)
    /// are skipped; so are symlinks and submodules.
    package func files(at commit: ObjectID, under folder: String? = nil) throws -> [TreeFile] {
        try locked { repo in
            let commitHandle = try lookupCommit(commit, in: repo)
            defer { git_commit_free(commitHandle) }
            var root: OpaquePointer?
            guard git_commit_tree(&root, commitHandle) == 0, let root else {
                throw SourceError.git(operation: "\(displayName): reading the tree of \(commit.short)", reason: Git.lastError())
            }
            defer { git_tree_free(root) }
            let prefix = Self.normalizedFolder(folder)
            guard !prefix.isEmpty else { return try walk(root) }
            let subtree = try lookupFolder(prefix, in: root, commit: commit, repo: repo)
            defer { git_tree_free(subtree) }
            return try walk(subtree, prefix: prefix + "/")
        }
    }

    /// A snapshot of the manifest files of `commit` (from `folder` down):
    /// paths and blob ids now, bytes when the linter asks for them.
    package func snapshot(at commit: ObjectID, under folder: String? = nil) throws -> SourceSnapshot {
        let metadata = try self.commit(commit)
        let files = try files(at: commit, under: folder).map { file in
            SourceFile(path: file.path, id: file.id, size: try blobSize(file.id)) { [self] in try blob(file.id) }
        }
        return SourceSnapshot(origin: .commit(metadata), files: files)
    }

    /// `folder` without `./`, leading or trailing slashes; "" for the root.
    static func normalizedFolder(_ folder: String?) -> String {
        let parts = (folder ?? "").split(separator: "/").filter { $0 != "." && !$0.isEmpty }
        return parts.joined(separator: "/")
    }

    /// The subtree at `path`; the caller frees it.
    private func lookupFolder(_ path: String, in root: OpaquePointer, commit: ObjectID, repo: OpaquePointer) throws -> OpaquePointer {
        let missing = SourceError.missingPath(path: path, at: "\(displayName) at \(commit.short)")
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, root, path) == 0, let entry else { throw missing }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { throw missing }
        var subtree: OpaquePointer?
        guard git_tree_lookup(&subtree, repo, git_tree_entry_id(entry)) == 0, let subtree else {
            throw SourceError.git(operation: "\(displayName): reading \(path) at \(commit.short)", reason: Git.lastError())
        }
        return subtree
    }

    /// Every manifest blob below `tree`, sorted by path.
    private func walk(_ tree: OpaquePointer, prefix: String = "") throws -> [TreeFile] {
        let collector = TreeCollector(prefix: prefix)
        let code = withExtendedLifetime(collector) {
            git_tree_walk(tree, GIT_TREEWALK_PRE, collectManifest, Unmanaged.passUnretained(collector).toOpaque())
        }
        guard code == 0 else {
            throw SourceError.git(operation: "\(displayName): listing files", reason: Git.lastError())
        }
        return collector.files.sorted { $0.path < $1.path }
    }
}

/// What the tree walk callback fills in.
private final class TreeCollector {
    let prefix: String
    var files: [TreeFile] = []
    init(prefix: String) { self.prefix = prefix }
}

/// Tree walk callback: skip hidden entries (a positive return skips a
/// subtree), keep regular blobs with a manifest extension.
private let collectManifest: git_treewalk_cb = { root, entry, payload in
    guard let entry, let payload, let rawName = git_tree_entry_name(entry) else { return 0 }
    let name = String(cString: rawName)
    if name.hasPrefix(".") { return 1 }
    let mode = git_tree_entry_filemode(entry)
    guard mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE,
          let dot = name.lastIndex(of: "."),
          SourceFiles.extensions.contains(name[name.index(after: dot)...].lowercased())
    else { return 0 }
    let collector = Unmanaged<TreeCollector>.fromOpaque(payload).takeUnretainedValue()
    let folder = root.map { String(cString: $0) } ?? ""
    collector.files.append(TreeFile(path: collector.prefix + folder + name, id: ObjectID(git_tree_entry_id(entry).pointee)))
    return 0
}
