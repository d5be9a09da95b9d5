import CGit2
import MeshLint

extension GitRepository {
    /// The rules of the `.meshcignore` at the root of `commit`'s tree (none
    /// when it has none), so a ref is filtered by its own ignore file.
    package func ignoreRules(at commit: ObjectID) throws -> IgnoreRules {
        let blobID: ObjectID? = try locked { repo in
            let commitHandle = try lookupCommit(commit, in: repo)
            defer { git_commit_free(commitHandle) }
            var root: OpaquePointer?
            guard git_commit_tree(&root, commitHandle) == 0, let root else {
                throw SourceError.git(operation: "\(displayName): reading the tree of \(commit.short)", reason: Git.lastError())
            }
            defer { git_tree_free(root) }
            var entry: OpaquePointer?
            guard git_tree_entry_bypath(&entry, root, ManifestFilter.ignoreFileName) == 0, let entry else { return nil }
            defer { git_tree_entry_free(entry) }
            guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
            return ObjectID(git_tree_entry_id(entry).pointee)
        }
        guard let blobID else { return .none }
        return IgnoreRules(text: String(decoding: try blob(blobID), as: UTF8.self))
    }
}
