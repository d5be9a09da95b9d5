import CGit2
import MeshDiagnostics
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
        let found = try files(at: commit, under: folder)
        let sizes = try blobSizes(of: found.map(\.id))
        let files = zip(found, sizes).map { file, size in
            SourceFile(path: file.path, id: file.id, size: size) { [self] in try blob(file.id) }
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

    /// Every manifest blob below `tree`, sorted by path. A subtree the
    /// last two walks read at the same path is taken from them (a tree id
    /// names its content); hidden entries, symlinks and submodules are skipped.
    private func walk(_ tree: OpaquePointer, prefix: String = "") throws -> [TreeFile] {
        subtrees = (current: [:], previous: subtrees.current)
        var files: [TreeFile] = []
        try collect(tree, prefix: prefix, into: &files)
        // Git orders a folder as its name and "/", which is path order for ASCII names; other names are sorted here.
        if files.isSorted(by: { $0.path < $1.path }) { return files }
        return files.sorted { $0.path < $1.path }
    }

    private func collect(_ tree: OpaquePointer, prefix: String, into files: inout [TreeFile]) throws {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index), let rawName = git_tree_entry_name(entry) else { continue }
            let name = String(cString: rawName)
            if name.hasPrefix(".") { continue }
            let mode = git_tree_entry_filemode(entry)
            let id = ObjectID(git_tree_entry_id(entry).pointee)
            if mode == GIT_FILEMODE_TREE {
                let key = SubtreeKey(id: id, path: prefix + name + "/")
                if let known = subtrees.current[key] ?? subtrees.previous[key] {
                    subtrees.current[key] = known
                    files += known
                    continue
                }
                var subtree: OpaquePointer?
                var oid = id.oid
                guard git_tree_lookup(&subtree, handle, &oid) == 0, let subtree else {
                    throw SourceError.git(operation: "\(displayName): listing files", reason: Git.lastError())
                }
                defer { git_tree_free(subtree) }
                var found: [TreeFile] = []
                try collect(subtree, prefix: key.path, into: &found)
                subtrees.current[key] = found
                files += found
            } else if mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE,
                      SourceFiles.isManifest(name) {
                files.append(TreeFile(path: prefix + name, id: id))
            }
        }
    }
}

/// A subtree by its id and the path it sits at (the same tree at two paths gives two lists of paths).
struct SubtreeKey: Hashable {
    let id: ObjectID
    let path: String
}
