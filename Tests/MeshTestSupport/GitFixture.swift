import Foundation

/// A real git repository made with the `git` command line in a temporary
/// folder (or under `folder`); tests call `remove()` in a `defer` (which also
/// keeps the folder alive while libgit2 reads it). Global and system git
/// configuration are ignored so the user's settings cannot change a test.
package final class GitFixture: Sendable {
    /// Where the repository's worktree is.
    package let root: String
    /// The folder holding the worktree and every folder made beside it.
    package let base: String

    /// `git init` in `<folder>/meshc-git-<uuid>/repo` (`folder`: the temporary folder).
    package init(in folder: URL = FileManager.default.temporaryDirectory) throws {
        base = folder.appendingPathComponent("meshc-git-\(UUID().uuidString)").path
        root = base + "/repo"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    /// The worktree as a URL.
    package var url: URL { URL(fileURLWithPath: root) }

    /// Deletes the repository and every folder made beside it.
    package func remove() { try? FileManager.default.removeItem(atPath: base) }

    /// A fresh folder beside the repository (for mirrors, clones and caches).
    package func folder(_ name: String) throws -> String {
        let path = base + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to `path` (relative to the worktree), making folders.
    package func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Copies a file or folder of this package (e.g. `samples/s1-ingress`) to `path` in the worktree, replacing what is there.
    package func copyFromPackage(_ source: String, to path: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.url(source).path, toPath: url.path)
    }

    /// Stages everything and commits; returns the new commit's sha.
    @discardableResult
    package func commit(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// Writes `files` (path → text; nil deletes), then commits everything; returns the sha.
    @discardableResult
    package func commit(_ message: String, _ files: [String: String?]) throws -> String {
        for (path, text) in files {
            if let text { try write(path, text) } else { try? FileManager.default.removeItem(atPath: root + "/" + path) }
        }
        return try commit(message)
    }

    /// Runs git in `directory` (the worktree by default); returns trimmed standard output.
    @discardableResult
    package func git(_ arguments: String..., in directory: String? = nil) throws -> String {
        try Self.git(arguments, in: directory ?? root)
    }

    /// Runs git in `directory` with the fixture's configuration; throws with git's stderr when it fails.
    @discardableResult
    package static func git(_ arguments: [String], in directory: String) throws -> String {
        let run = try Subprocess.run("git", arguments, in: URL(fileURLWithPath: directory), environment: environment)
        guard run.status == 0 else {
            throw Subprocess.Failure(description: "git \(arguments.joined(separator: " ")): \(run.stderr)")
        }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// No global or system configuration; a fixed author and committer.
    static let environment: [String: String] = {
        var variables = ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"]
        for role in ["AUTHOR", "COMMITTER"] {
            variables["GIT_\(role)_NAME"] = "Mesh Tester"
            variables["GIT_\(role)_EMAIL"] = "tester@example.com"
        }
        return variables
    }()
}
