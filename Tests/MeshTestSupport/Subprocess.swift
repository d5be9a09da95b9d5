import Foundation
import MeshAgent
#if canImport(Glibc)
import Glibc
#endif

/// The one way tests run a program to completion: output captured in files
/// (no pipe can fill up and stall the child), exit status, wall time and peak
/// memory, and a timeout after which the child is killed.
package enum Subprocess {
    /// What a finished run gave.
    package struct Result: Sendable {
        /// The exit status, or 128 + n after signal n.
        package var status: Int32
        package var stdout: String
        package var stderr: String
        package var seconds: Double
        /// Peak resident memory of the child (wait4's rusage).
        package var maxRSSKiB: Int
    }

    /// A run that did not finish in time (the child was killed) or could not start.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Runs `executable arguments…` (a path, or a name looked up in PATH) in
    /// `directory` (nil: this process's), `input` as standard input (nil:
    /// /dev/null), `environment` added to this process's; waits up to `timeout`
    /// seconds, then SIGKILLs it and throws.
    package static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil, input: Data? = nil,
                            environment: [String: String] = [:], timeout: Double = 60) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out").path, err = scratch.appendingPathComponent("err").path
        var stdin = "/dev/null"
        if let input {
            stdin = scratch.appendingPathComponent("in").path
            try input.write(to: URL(fileURLWithPath: stdin))
        }
        let start = Date()
        let pid = try spawn(executable, arguments, stdin: stdin, stdout: out, stderr: err, in: directory, environment: environment)
        let waited = Waited(pid)
        let finished = waited.done.wait(timeout: .now() + timeout) == .success
        if !finished {
            kill(pid, SIGKILL)
            waited.done.wait()
        }
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        guard finished else {
            let command = ([executable] + arguments).joined(separator: " ")
            throw Failure(description: "\(command) did not finish within \(timeout) s; killed\n\(read(err).suffix(2000))")
        }
        return Result(status: exitStatus(waited.status), stdout: read(out), stderr: read(err),
                      seconds: Date().timeIntervalSince(start), maxRSSKiB: waited.usage.ru_maxrss)
    }

    /// Starts `executable arguments…` (a path, or a name looked up in PATH)
    /// with `ChildProcess.spawn` and returns its pid; `stdin`, `stdout` and
    /// `stderr` are files (output ones truncated), nil `stderr` shares
    /// stdout's file; `environment` is added to this process's.
    ///
    /// Not Foundation's `Process`: the test runner's threads block most
    /// signals and `Process` passes that mask on (an Envoy started so never
    /// sees SIGTERM). The child gets an empty signal mask and default handlers.
    package static func spawn(_ executable: String, _ arguments: [String], stdin: String = "/dev/null", stdout: String, stderr: String?,
                              in directory: URL? = nil, environment: [String: String] = [:]) throws -> pid_t {
        var options = ChildProcess.Options()
        options.stdin = stdin
        options.stdout = stdout
        options.stderr = stderr
        options.directory = directory?.path
        options.environment = environment
        options.searchPath = true
        do { return try ChildProcess.spawn(executable, arguments, options) } catch {
            throw Failure(description: String(describing: error))
        }
    }

    /// Waits (without blocking a thread) until no process has id `pid` (ESRCH: reaped, not a zombie), or
    /// `deadline` passes; true when it is gone.
    package static func isGone(_ pid: pid_t, by deadline: ContinuousClock.Instant) async -> Bool {
        while true {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The exit status in a wait status: the code, or 128 + n after signal n (as a shell says).
    package static func exitStatus(_ waitStatus: Int32) -> Int32 {
        (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
    }

    /// A thread blocked in wait4 on one child; `done` is signalled when it ends.
    private final class Waited: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var status: Int32 = 0
        var usage = rusage()

        init(_ pid: pid_t) {
            Thread.detachNewThread { [self] in
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                done.signal()
            }
        }
    }
}
