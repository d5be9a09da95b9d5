import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a short-lived process without blocking a task: its output is
/// collected on a dispatch queue and its exit awaited through a
/// continuation; past the timeout it is killed.
package enum ProcessRunner {
    package enum Result: Sendable, Equatable {
        /// Exit status and standard output and error together (at most 1 MiB kept).
        case exited(status: Int32, output: String)
        case timedOut
        case failedToStart(String)
    }

    /// Runs `executable arguments…` to its end, killed after `timeout` seconds.
    /// Where output is read (a blocking read per process) and timeouts fire: queues of their own, so
    /// blocking reads and locks do not take the global pool's few threads.
    static let blocking = DispatchQueue(label: "meshc.process-output", attributes: .concurrent)
    static let timers = DispatchQueue(label: "meshc.process-timeouts")

    package static func run(_ executable: String, _ arguments: [String], timeout: Double) async -> Result {
        await start(executable, arguments).result(timeout: timeout)
    }

    /// Starts `executable arguments…` now; `result(timeout:)` awaits its end.
    package static func start(_ executable: String, _ arguments: [String]) -> StartedProcess {
        let started = StartedProcess()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let reader = pipe.fileHandleForReading
        let output = Mutex<Data>(Data())
        let drained = DispatchGroup()
        drained.enter()
        ProcessRunner.blocking.async {
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                output.withLock { if $0.count < 1 << 20 { $0.append(chunk) } }
            }
            drained.leave()
        }
        process.terminationHandler = { process in
            // Killed at the timeout: answer now (a child it left may hold the pipe open).
            if started.killedAtTimeout { return started.finish(.timedOut) }
            let status = process.terminationStatus
            drained.notify(queue: .global()) {
                started.finish(.exited(status: status, output: output.withLock { String(decoding: $0, as: UTF8.self) }))
            }
        }
        do { try process.run() } catch {
            try? pipe.fileHandleForWriting.close()
            drained.notify(queue: .global()) { started.finish(.failedToStart(error.localizedDescription)) }
            return started
        }
        try? pipe.fileHandleForWriting.close()
        started.pid.store(process.processIdentifier, ordering: .relaxed)
        return started
    }
}

/// A process `ProcessRunner.start` started: await its end, or kill it.
package final class StartedProcess: Sendable {
    fileprivate let pid = Atomic<Int32>(0)
    private let timedOut = Atomic<Bool>(false)
    private let state = Mutex<(result: ProcessRunner.Result?, waiter: CheckedContinuation<ProcessRunner.Result, Never>?)>((nil, nil))

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

    /// How it ended; past `timeout` seconds from now it is killed (`.timedOut`).
    package func result(timeout: Double) async -> ProcessRunner.Result {
        let pid = pid.load(ordering: .relaxed)
        if pid > 0 {
            ProcessRunner.timers.asyncAfter(deadline: .now() + timeout) { [self] in
                guard state.withLock({ $0.result == nil }) else { return }
                timedOut.store(true, ordering: .relaxed)
                Glibc.kill(pid, SIGKILL)
                // Answer now: Foundation learns of the child's end from SIGCHLD, which can come late in a
                // busy process (a 0.3 s timeout was answered after 60 s); the process is reaped whenever it does.
                finish(.timedOut)
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
        let pid = pid.load(ordering: .relaxed)
        if pid > 0, state.withLock({ $0.result == nil }) { Glibc.kill(pid, SIGKILL) }
    }
}
