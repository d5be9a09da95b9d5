import Foundation
import MeshAgent
import MeshTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ProcessRunner` (the validating Envoys' runner): output, exit status,
/// timeouts, and children that start with no signal blocked.
@Suite struct ProcessRunnerTests {
    @Test func outputAndExitStatusComeBack() async {
        let result = await ProcessRunner.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], timeout: 20)
        #expect(result == .exited(status: 3, output: "out\nerr\n"))
    }

    /// A child inherits the mask of the thread that starts it, and the
    /// agent starts validating Envoys from Dispatch and task threads, which
    /// block nearly every signal: through Foundation's `Process` those Envoys
    /// ignored SIGTERM (`SigBlk: fffffffe3bfbea27`). Children start with an
    /// empty mask and default handlers whatever the starting thread blocks.
    @Test func childrenStartWithNoSignalBlocked() async throws {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        sigaddset(&blocked, SIGINT)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        // grep itself, not a shell (which may reset its mask as it starts).
        let shell = ProcessRunner.start("/bin/grep", ["-E", "^Sig(Blk|Ign):", "/proc/self/status"])
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        guard case .exited(0, let output) = await shell.result(timeout: 20) else {
            Issue.record("grep did not run")
            return
        }
        let masks = Dictionary(uniqueKeysWithValues: output.split(separator: "\n").map { line in
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], parts[1])
        })
        #expect(masks["SigBlk"] == "0000000000000000", "blocked in the child: \(output)")
        // SIGTERM is bit 15 of the ignored set.
        let ignored = try #require(UInt64(masks["SigIgn"] ?? "", radix: 16))
        #expect(ignored & (1 << (UInt64(SIGTERM) - 1)) == 0, "SIGTERM ignored in the child: \(output)")
    }

    /// A child holds no descriptor of this process but its standard three:
    /// one left open outlived a killed agent (a validating Envoy kept the
    /// reconciler's connection to it open, and the reconciler waited on it).
    @Test func childrenInheritNoDescriptorButTheStandardThree() async throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0) // not close-on-exec
        defer { ends.forEach { close($0) } }
        #expect(await ProcessRunner.run("/usr/bin/test", ["-e", "/proc/self/fd/\(ends[1])"], timeout: 20) == .exited(status: 1, output: ""))
        #expect(await ProcessRunner.run("/usr/bin/test", ["-e", "/proc/self/fd/2"], timeout: 20) == .exited(status: 0, output: ""))
    }

    /// Answered at the timeout, not at the child's end (it would sleep ten
    /// minutes), and the child killed and reaped. Bounds are loose on purpose:
    /// in a full parallel run the awaiting task waits for a cooperative thread
    /// other tests hold (16 s seen on a loaded machine).
    @Test func aChildPastItsTimeoutIsKilledAndAnsweredAtOnce() async {
        let clock = ContinuousClock()
        let start = clock.now
        let runner = ProcessRunner.start("/bin/sleep", ["600"])
        let pid = runner.processID
        #expect(pid > 0)
        #expect(await runner.result(timeout: 0.3) == .timedOut)
        #expect(clock.now - start < .seconds(300), "answered at the timeout, long before the child would end")
        // Reaped once the kill lands: the pid is gone (ESRCH), not a zombie left behind.
        #expect(await Subprocess.isGone(pid, by: start + .seconds(300)), "the killed child \(pid) was not reaped")
    }

    @Test func aSignalsNumberIsTheStatusOfAChildItEnded() async {
        #expect(await ProcessRunner.run("/bin/sh", ["-c", "kill -TERM $$"], timeout: 20) == .exited(status: SIGTERM, output: ""))
    }

    @Test func aMissingExecutableFailsToStart() async {
        guard case .failedToStart(let reason) = await ProcessRunner.run("/nonexistent/envoy", [], timeout: 20) else {
            Issue.record("a missing executable started")
            return
        }
        #expect(reason.contains("/nonexistent/envoy"))
    }
}
