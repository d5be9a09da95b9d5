import Foundation
import MeshTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A long-running child process started by a test (Envoy, agents, backends),
/// with standard output and error captured in files so a failure can show
/// their tail. Programs run to completion go through `Subprocess.run`.
///
/// Started with `Subprocess.spawn` (an empty signal mask, default handlers,
/// so it dies of SIGTERM). A thread waits for the child and records its status.
///
/// `stop()` sends SIGTERM, waits (bounded), then SIGKILLs. Every live child is
/// also listed in `Children`, whose exit hook kills whatever a test forgot, so
/// no Envoy outlives the test process when it exits normally.
final class Spawned: @unchecked Sendable {
    let name: String
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private let exited = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `executable arguments…` with output going to `<folder>/<name>.out|.err`.
    init(name: String, executable: String, arguments: [String], folder: URL) throws {
        self.name = name
        stdoutPath = folder.appendingPathComponent("\(name).out").path
        stderrPath = folder.appendingPathComponent("\(name).err").path

        let spawned: pid_t
        do {
            spawned = try Subprocess.spawn(executable, arguments, stdout: stdoutPath, stderr: stderrPath)
        } catch {
            throw HarnessError("\(name): \(error)")
        }
        pid = spawned
        let child = spawned
        Children.add(child)
        Thread.detachNewThread { [exited, lock] in // holds self until the child ends
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            Children.remove(child)
            lock.withLock { self.status = Subprocess.exitStatus(status) }
            exited.signal()
        }
    }


    /// The exit status once the process has ended (128 + n after signal n), else nil.
    var exitStatus: Int32? { lock.withLock { status } }

    var isRunning: Bool { exitStatus == nil }

    /// Waits up to `seconds` for the process to end by itself; true if it did.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        if !isRunning { return true }
        guard exited.wait(timeout: .now() + seconds) == .success else { return false }
        exited.signal() // leave it signalled for later waits
        return true
    }

    /// SIGTERM, up to `seconds` to exit, then SIGKILL. Returns the exit status.
    @discardableResult
    func stop(seconds: Double = 5) -> Int32? {
        guard isRunning else { return exitStatus }
        kill(pid, SIGTERM)
        if !wait(seconds: seconds) {
            kill(pid, SIGKILL)
            wait(seconds: 5)
        }
        return exitStatus
    }

    /// Whether standard error or output holds `text` anywhere: a logged line is
    /// found however much the process logged after it (a loaded machine logs more).
    func outputContains(_ text: String) -> Bool {
        [stderrPath, stdoutPath].contains { ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "").contains(text) }
    }

    /// The last `lines` lines of standard error (and output), for failure messages.
    func outputTail(lines: Int = 20) -> String {
        func tail(_ path: String) -> String {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
        }
        let err = tail(stderrPath), out = tail(stdoutPath)
        var result = "--- \(name) stderr (tail) ---\n\(err)"
        if !out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { result += "\n--- \(name) stdout (tail) ---\n\(out)" }
        return result
    }

}

/// Process ids of the children still running, killed by an exit hook.
enum Children {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pids: Set<Int32> = []
    nonisolated(unsafe) private static var hooked = false

    static func add(_ pid: Int32) {
        lock.withLock {
            pids.insert(pid)
            if !hooked {
                hooked = true
                atexit { Children.killAll() }
            }
        }
    }

    static func remove(_ pid: Int32) { _ = lock.withLock { pids.remove(pid) } }

    /// SIGKILLs every child still listed (the exit hook; tests stop theirs themselves).
    static func killAll() {
        let left = lock.withLock { () -> Set<Int32> in
            defer { pids.removeAll() }
            return pids
        }
        for pid in left { kill(pid, SIGKILL) }
    }
}
