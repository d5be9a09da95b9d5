import Foundation
import MeshSnapshot
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Starts Envoy and keeps it running: when it exits unasked, it is started
/// again after a backoff (0.1 s, doubling to 5 s; back to 0.1 s once it has
/// run 10 s). Envoy comes back on the files on disk, the last good config.
/// `stop()` ends it with SIGTERM (SIGKILL after 5 s) and stops restarting.
/// Envoy's pid is kept in a file: an agent killed without stopping its Envoy
/// leaves it running, and the next agent on the same state folder ends that
/// orphan before it starts its own (else the two would fight over the ports).
/// Started `as` an `EnvoyUser`, Envoy runs as that user (through setpriv).
package final class EnvoySupervisor: Sendable {
    /// What `state` reports.
    package struct Status: Sendable {
        /// Envoy's process id; nil while it is being restarted.
        package var pid: Int32?
        /// Restarts after Envoy died.
        package var restarts: Int
    }

    private let executable: String
    private let arguments: [String]
    private let logPath: String
    private let pidPath: String
    private struct State {
        var pid: pid_t?
        var user: EnvoyUser?
        var restarts = 0
        var stopping = false
        var backoff = 0.1
    }

    private let state = Mutex(State())
    private let exited = DispatchSemaphore(value: 0)

    /// `envoy arguments…`, output appended to `logPath`, its pid in `pidPath`.
    package init(executable: String, arguments: [String], logPath: String, pidPath: String) {
        self.executable = executable
        self.arguments = arguments
        self.logPath = logPath
        self.pidPath = pidPath
    }

    /// Envoy's pid and restart count now.
    package var status: Status { state.withLock { Status(pid: $0.pid, restarts: $0.restarts) } }

    /// Starts Envoy, as `user` when given (nil: as this process). Throws when it cannot be started at all.
    package func start(as user: EnvoyUser? = nil) throws {
        state.withLock { $0.user = user }
        endOrphan()
        let child = try spawn()
        state.withLock { $0.pid = child }
        watch(child, started: Date())
    }

    /// SIGTERM to Envoy, up to 5 s to exit, then SIGKILL; no more restarts.
    package func stop() {
        let child: pid_t? = state.withLock {
            $0.stopping = true
            return $0.pid
        }
        guard let child else { return }
        kill(child, SIGTERM)
        if exited.wait(timeout: .now() + 5) == .timedOut {
            kill(child, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
        }
    }

    private func watch(_ child: pid_t, started: Date) {
        Thread.detachNewThread { [self] in
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            let delay: Double? = state.withLock { state in
                state.pid = nil
                if state.stopping { return nil }
                let delay = Date().timeIntervalSince(started) > 10 ? 0.1 : state.backoff
                state.backoff = min(delay * 2, 5)
                return delay
            }
            guard let delay else { exited.signal(); return }
            Thread.sleep(forTimeInterval: delay)
            restart()
        }
    }

    private func restart() {
        guard !state.withLock({ $0.stopping }) else { exited.signal(); return }
        guard let child = try? spawn() else {
            state.withLock { $0.restarts += 1 }
            Thread.sleep(forTimeInterval: 1)
            restart()
            return
        }
        state.withLock {
            $0.pid = child
            $0.restarts += 1
        }
        watch(child, started: Date())
    }

    /// The bootstrap path this supervisor starts Envoy on (`-c PATH`).
    private var bootstrap: String? { Self.bootstrap(in: arguments) }

    static func bootstrap(in arguments: [String]) -> String? {
        arguments.firstIndex(of: "-c").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    }

    /// Whether the command line `words` is an Envoy (this supervisor's
    /// binary, or one named `envoy`) started on `bootstrap`.
    static func isEnvoy(on bootstrap: String?, _ words: [String], executable: String) -> Bool {
        guard let bootstrap, let program = words.first.map({ URL(fileURLWithPath: $0).lastPathComponent }),
              program == URL(fileURLWithPath: executable).lastPathComponent || program == "envoy" else { return false }
        return Self.bootstrap(in: Array(words.dropFirst())) == bootstrap
    }

    /// Largest Envoy log kept when Envoy (re)starts; a longer one becomes `<log>.1`.
    static let maxLogBytes: UInt64 = 16 << 20

    /// Envoy with its output appended to the log (rotated first when over
    /// `maxLogBytes`; opened by this process, created 0640); its pid written
    /// to `pidPath` (0600).
    private func spawn() throws -> pid_t {
        if let size = try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? UInt64, size > Self.maxLogBytes {
            try? FileManager.default.removeItem(atPath: logPath + ".1")
            try? FileManager.default.moveItem(atPath: logPath, toPath: logPath + ".1")
        }
        var options = ChildProcess.Options()
        options.stdout = logPath
        options.append = true
        options.user = state.withLock { $0.user }
        let child = try ChildProcess.spawn(executable, arguments, options)
        try? AtomicFile.write("\(child)\n", to: pidPath, mode: 0o600)
        return child
    }

    /// Ends the Envoy an earlier agent on this state folder left running: the
    /// pid in `pidPath`, if that process is an Envoy started on this state
    /// folder's bootstrap (`-c <bootstrap>` on its command line), whatever its
    /// other flags were (an agent restarted with another `--concurrency`);
    /// a reused pid, a process that is not Envoy, is left alone.
    private func endOrphan() {
        guard let text = try? String(contentsOfFile: pidPath, encoding: .utf8),
              let orphan = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), orphan > 0,
              let commandLine = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(orphan)/cmdline"))
        else { return }
        let words = commandLine.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard Self.isEnvoy(on: bootstrap, words, executable: executable) else { return }
        kill(orphan, SIGTERM)
        for _ in 0..<500 where kill(orphan, 0) == 0 { usleep(10_000) }
        if kill(orphan, 0) == 0 { kill(orphan, SIGKILL) }
        for _ in 0..<100 where kill(orphan, 0) == 0 { usleep(10_000) }
    }
}
