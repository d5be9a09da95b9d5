import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a short-lived process without blocking a task: its output is
/// collected and its exit awaited on threads of its own, the result handed
/// over through a continuation; past the timeout it is killed.
///
/// Started with `posix_spawn` (`ChildProcess`), not Foundation's `Process`:
/// the child gets an empty signal mask (a `Process` child inherited its
/// starting thread's, and Dispatch and task threads block SIGTERM), and its
/// end is learnt from `waitid` on a thread of its own, not from a SIGCHLD a
/// busy process can deliver late.
package enum ProcessRunner {
    package enum Result: Sendable, Equatable {
        /// Exit status (the signal's number when a signal ended it) and
        /// standard output and error together (at most 1 MiB kept).
        case exited(status: Int32, output: String)
        case timedOut
        case failedToStart(String)
    }

    /// Where short blocking calls run (a lock, a write to a pipe) and timeouts fire: queues of their own,
    /// off the cooperative pool. A child's output and its exit are awaited on threads of their own
    /// (`thread`): a warm validating Envoy waits for minutes, and blocked items on a Dispatch queue
    /// hold the few threads its pool has (it adds more about once a second), which held a 0.3 s
    /// timeout's answer back 90 s in a test run.
    static let blocking = DispatchQueue(label: "meshc.blocking", attributes: .concurrent)
    static let timers = DispatchQueue(label: "meshc.process-timeouts")

    /// How long a child killed at its timeout may take to be reaped before `.timedOut` is answered anyway.
    static let reapWait = 2.0

    /// Runs `body` on a new thread of its own.
    static func thread(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Runs `executable arguments…` to its end, killed after `timeout` seconds.
    package static func run(_ executable: String, _ arguments: [String], timeout: Double) async -> Result {
        await start(executable, arguments).result(timeout: timeout)
    }

    /// Starts `executable arguments…` now (standard input from /dev/null,
    /// output and error into one pipe); `result(timeout:)` awaits its end.
    package static func start(_ executable: String, _ arguments: [String]) -> StartedProcess {
        let started = StartedProcess()
        var ends: [Int32] = [-1, -1]
        // Close-on-exec: no other child started meanwhile holds the write end (its reader would never see the end).
        guard let pipe2 else {
            started.finish(.failedToStart("this C library has no pipe2"))
            return started
        }
        guard pipe2(&ends, O_CLOEXEC) == 0 else {
            started.finish(.failedToStart("cannot make a pipe: \(String(cString: strerror(errno)))"))
            return started
        }
        var options = ChildProcess.Options()
        options.outputDescriptor = ends[1]
        let pid: pid_t
        do { pid = try ChildProcess.spawn(executable, arguments, options) } catch {
            close(ends[0])
            close(ends[1])
            started.finish(.failedToStart(String(describing: error)))
            return started
        }
        close(ends[1])
        started.pid.store(pid, ordering: .relaxed)
        let output = Mutex<[UInt8]>([])
        let drained = DispatchGroup()
        drained.enter()
        let reader = ends[0]
        thread("meshc.process-output") {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress!, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                output.withLock { if $0.count < 1 << 20 { $0.append(contentsOf: chunk[0..<n]) } }
            }
            close(reader)
            drained.leave()
        }
        thread("meshc.process-exit") {
            let status = started.reap()
            // Killed at the timeout: answered now it is gone, not once its output ends (a child it left may hold the pipe open).
            if started.killedAtTimeout { return started.finish(.timedOut) }
            drained.notify(queue: .global()) {
                started.finish(.exited(status: status, output: output.withLock { String(decoding: $0, as: UTF8.self) }))
            }
        }
        return started
    }

    /// glibc's `pipe2`.
    private static let pipe2 = ChildProcess.glibc("pipe2", as: Pipe2.self)
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
}

/// A process `ProcessRunner.start` started: await its end, or kill it.
package final class StartedProcess: Sendable {
    fileprivate let pid = Atomic<Int32>(0)
    private let timedOut = Atomic<Bool>(false)
    private let state = Mutex<(result: ProcessRunner.Result?, waiter: CheckedContinuation<ProcessRunner.Result, Never>?)>((nil, nil))
    /// Set, under its lock, when the child is reaped: a kill after that
    /// could reach another process given the same pid, so none is sent.
    private let reaped = Mutex<Bool>(false)

    fileprivate init() {}

    /// The process id; 0 when it could not be started.
    package var processID: Int32 { pid.load(ordering: .relaxed) }

    fileprivate var killedAtTimeout: Bool { timedOut.load(ordering: .relaxed) }

    fileprivate func finish(_ result: ProcessRunner.Result) {
        let waiter = state.withLock { state -> CheckedContinuation<ProcessRunner.Result, Never>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: result)
    }

    /// Waits for the child to end, then reaps it: its exit status, or the
    /// number of the signal that ended it. The wait leaves the child a
    /// zombie (`WNOWAIT`) so its pid stays taken until `reaped` is set.
    fileprivate func reap() -> Int32 {
        let pid = pid.load(ordering: .relaxed)
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
        var status: Int32 = 0
        reaped.withLock { reaped in
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            reaped = true
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }

    /// SIGKILL, unless it was reaped already.
    private func signalKill() {
        let pid = pid.load(ordering: .relaxed)
        guard pid > 0 else { return }
        reaped.withLock { reaped in if !reaped { _ = Glibc.kill(pid, SIGKILL) } }
    }

    /// How it ended; past `timeout` seconds from now it is killed (`.timedOut`).
    package func result(timeout: Double) async -> ProcessRunner.Result {
        if pid.load(ordering: .relaxed) > 0 {
            ProcessRunner.timers.asyncAfter(deadline: .now() + timeout) { [self] in
                guard state.withLock({ $0.result == nil }) else { return }
                timedOut.store(true, ordering: .relaxed)
                signalKill()
                // Answered when the kill has reaped it (whoever hears `.timedOut` finds the pid gone), or
                // after `reapWait` should the kernel hold the process (uninterruptible sleep).
                ProcessRunner.timers.asyncAfter(deadline: .now() + ProcessRunner.reapWait) { [self] in finish(.timedOut) }
            }
        }
        return await withCheckedContinuation { waiter in
            let known = state.withLock { state -> ProcessRunner.Result? in
                if let result = state.result { return result }
                state.waiter = waiter
                return nil
            }
            if let known { waiter.resume(returning: known) }
        }
    }

    /// SIGKILL, if it still runs.
    package func kill() {
        if state.withLock({ $0.result == nil }) { signalKill() }
    }
}
