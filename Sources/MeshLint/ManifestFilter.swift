import Foundation

/// Which files on disk a command reads: `IgnoreRules` (a `.meshcignore` at
/// the repository root, then `--exclude` patterns) applied to paths taken
/// relative to that root. `lint`, `build` and `plan` share it; the
/// reconciler can take the same rules for its snapshots.
package struct ManifestFilter: Sendable {
    /// The repository root, absolute and standardized: `.meshcignore` is read
    /// here and patterns are relative to it.
    package let root: String
    /// The rules in force.
    package let rules: IgnoreRules

    /// The name of the ignore file at the repository root.
    package static let ignoreFileName = ".meshcignore"

    /// A filter of `rules` relative to `root`.
    package init(root: String, rules: IgnoreRules) {
        self.root = SourceFiles.normalize(root)
        self.rules = rules
    }

    /// Lets every file through.
    package static let none = ManifestFilter(root: "/", rules: .none)

    /// The rules of the repository the folder `start` (default: the current
    /// one) is in — the nearest folder up holding `.git`, else `start` itself
    /// — from its `.meshcignore` when there is one, then `excludes`.
    package static func load(excludes: [String], from start: String = FileManager.default.currentDirectoryPath) throws -> ManifestFilter {
        let root = repositoryRoot(from: start)
        var rules = IgnoreRules.none
        let file = root.hasSuffix("/") ? root + ignoreFileName : root + "/" + ignoreFileName
        if FileManager.default.fileExists(atPath: file) {
            guard let data = FileManager.default.contents(atPath: file) else { throw SourceFiles.Failure.unreadable(file) }
            rules = IgnoreRules(text: String(decoding: data, as: UTF8.self))
        }
        return ManifestFilter(root: root, rules: rules.adding(IgnoreRules(patterns: excludes)))
    }

    /// The nearest folder from `start` up that holds `.git` (a folder, or a
    /// file in a worktree); `start` when there is none.
    package static func repositoryRoot(from start: String) -> String {
        var folder = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) { return folder.path }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return SourceFiles.normalize(start) }
            folder = parent
        }
    }

    /// Whether the file or folder at `path` (as given on the command line or
    /// found in a walk) is left out.
    package func excludes(_ path: String, isFolder: Bool = false) -> Bool {
        guard !rules.isEmpty else { return false }
        return rules.ignores(relative(path), isFolder: isFolder)
    }

    /// `path` from the root; a path outside the root keeps its own parts
    /// (only unanchored patterns can name it).
    package func relative(_ path: String) -> String {
        let absolute = SourceFiles.normalize(path)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        if absolute.hasPrefix(prefix) { return String(absolute.dropFirst(prefix.count)) }
        return absolute
    }
}
