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

    package static func run(_ executable: String, _ arguments: [String], timeout: Double) async -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let timedOut = Atomic<Bool>(false)
        return await withCheckedContinuation { (done: CheckedContinuation<Result, Never>) in
            let reader = pipe.fileHandleForReading
            let output = Mutex<Data>(Data())
            let finished = DispatchGroup()
            finished.enter()
            DispatchQueue.global().async {
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    output.withLock { if $0.count < 1 << 20 { $0.append(chunk) } }
                }
                finished.leave()
            }
            process.terminationHandler = { process in
                // Killed at the timeout: answer now (a child it left may hold the pipe open).
                if timedOut.load(ordering: .relaxed) { return done.resume(returning: .timedOut) }
                finished.notify(queue: .global()) {
                    let text = output.withLock { String(decoding: $0, as: UTF8.self) }
                    done.resume(returning: .exited(status: process.terminationStatus, output: text))
                }
            }
            do { try process.run() } catch {
                try? pipe.fileHandleForWriting.close()
                finished.notify(queue: .global()) { done.resume(returning: .failedToStart(error.localizedDescription)) }
                return
            }
            try? pipe.fileHandleForWriting.close()
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                guard process.isRunning else { return }
                timedOut.store(true, ordering: .relaxed)
                kill(pid, SIGKILL)
            }
        }
    }
}
