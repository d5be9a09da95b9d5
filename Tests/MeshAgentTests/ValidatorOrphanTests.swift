import Foundation
import MeshAgent
import Testing

/// A warm validating Envoy waits in `open` on its named pipe until its agent
/// writes a bootstrap; an agent killed before that leaves it waiting forever.
/// The next agent ends such waiters (`EnvoyValidator.endOrphans`), and only
/// those whose agent is gone.
@Suite struct ValidatorOrphanTests {
    /// A folder as a warm validator makes it, with its named pipe, for agent `pid`.
    static func warmFolder(in parent: String, agent pid: Int32) throws -> String {
        let folder = parent + "/meshc-validate-warm-\(pid)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        #expect(mkfifo(folder + "/bootstrap.json", 0o600) == 0)
        return folder
    }

    /// A reader blocked opening `folder`'s pipe, as a warm Envoy is.
    static func waiter(_ folder: String) throws -> Process {
        let cat = Process()
        cat.executableURL = URL(fileURLWithPath: "/bin/cat")
        cat.arguments = [folder + "/bootstrap.json"]
        // Its own standard streams: a child holding the test's would keep the test runner waiting.
        cat.standardInput = FileHandle.nullDevice
        cat.standardOutput = FileHandle.nullDevice
        cat.standardError = FileHandle.nullDevice
        try cat.run()
        return cat
    }

    static func exits(_ process: Process, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        return !process.isRunning
    }

    @Test func theWaitersOfDeadAgentsAreEndedAndLiveAgentsKeepTheirs() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-orphans-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        // An agent that is gone: a child that ran and was reaped.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let orphaned = try Self.warmFolder(in: parent, agent: gone.processIdentifier)
        let owned = try Self.warmFolder(in: parent, agent: getpid())
        let orphan = try Self.waiter(orphaned), kept = try Self.waiter(owned)
        defer {
            for waiter in [orphan, kept] where waiter.isRunning {
                kill(waiter.processIdentifier, SIGKILL) // Foundation's children may block SIGTERM
                waiter.waitUntilExit()
            }
        }
        usleep(200_000) // both are in open, waiting for a writer
        #expect(orphan.isRunning && kept.isRunning)

        EnvoyValidator.endOrphans(in: parent)
        #expect(Self.exits(orphan, within: 5), "the dead agent's waiter got its end of file")
        #expect(!FileManager.default.fileExists(atPath: orphaned), "and its folder is gone")
        #expect(kept.isRunning, "a live agent's waiter is left alone")
        #expect(FileManager.default.fileExists(atPath: owned))
        // Planted by someone else: a link named as a dead agent's folder, and (as root) another user's folder.
        let target = try Self.warmFolder(in: parent, agent: getpid())
        let link = parent + "/meshc-validate-warm-\(gone.processIdentifier)-link"
        #expect(symlink(target, link) == 0)
        let lured = try Self.waiter(target)
        defer { kill(lured.processIdentifier, SIGKILL); lured.waitUntilExit() }
        var foreign: String?
        if geteuid() == 0 {
            let folder = try Self.warmFolder(in: parent, agent: gone.processIdentifier)
            #expect(chown(folder, 65_534, 65_534) == 0)
            foreign = folder
        }
        usleep(200_000)
        EnvoyValidator.endOrphans(in: parent)
        #expect(lured.isRunning, "a link is not followed")
        #expect(FileManager.default.fileExists(atPath: link) && FileManager.default.fileExists(atPath: target))
        if let foreign { #expect(FileManager.default.fileExists(atPath: foreign), "another user's folder is left alone") }
        // A folder whose waiter already left (nobody reads the pipe) is only removed.
        let empty = try Self.warmFolder(in: parent, agent: gone.processIdentifier)
        EnvoyValidator.endOrphans(in: parent)
        #expect(!FileManager.default.fileExists(atPath: empty))
    }
}
