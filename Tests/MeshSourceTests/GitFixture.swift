import Foundation

/// A real git repository made with the `git` command line in a temporary
/// folder; tests call `remove()` in a `defer` (which also keeps the folder
/// alive while libgit2 reads it). Global and system git configuration are
/// ignored so the user's settings cannot change a test.
final class GitFixture {
    /// Where the repository's worktree is.
    let root: String
    private let base: String

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-git-\(UUID().uuidString)").path
        root = base + "/repo"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    /// Deletes the repository and every folder made beside it.
    func remove() { try? FileManager.default.removeItem(atPath: base) }

    /// A fresh folder beside the repository (for mirrors and clones).
    func folder(_ name: String) throws -> String {
        let path = base + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to `path` (relative to the worktree), making folders.
    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Copies a file or folder of this package (e.g. `samples/s1-ingress`) to `path` in the worktree.
    func copyFromPackage(_ source: String, to path: String) throws {
        let url = URL(fileURLWithPath: root + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.repoRoot.appendingPathComponent(source).path, toPath: url.path)
    }

    /// Stages everything and commits; returns the new commit's sha.
    @discardableResult
    func commit(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// Runs git in `directory` (the worktree by default); returns trimmed standard output.
    @discardableResult
    func git(_ arguments: String..., in directory: String? = nil) throws -> String {
        try Self.run(arguments, in: directory ?? root)
    }

    static func run(_ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        for role in ["AUTHOR", "COMMITTER"] {
            environment["GIT_\(role)_NAME"] = "Mesh Tester"
            environment["GIT_\(role)_EMAIL"] = "tester@example.com"
        }
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(message: "git \(arguments.joined(separator: " ")): \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Small manifests for the tests.
enum Manifest {
    static func service(_ name: String, port: Int = 80, portName: String = "http") -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: default
        spec:
          selector:
            app: \(name)
          ports:
          - name: \(portName)
            port: \(port)

        """
    }
}
