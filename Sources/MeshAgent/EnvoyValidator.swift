import Foundation
import MeshDiagnostics
import MeshSnapshot
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `envoy --mode validate` on a static bootstrap, the oracle for what goes
/// live (50–250 ms of an Envoy process each). Verdicts are kept by the
/// bootstrap's hash, in memory (at most `memoryLimit`) and, when given a
/// `sharedFolder`, in files there that every agent on the host shares: the
/// first to need a verdict takes a lock on its file and validates, the others
/// wait and read it, so one change pushed to ten proxies on a host is
/// validated once (`ValidationBootstrap` makes their bootstraps the same).
/// Envoy gets `timeout` seconds, then it is killed and the bootstrap refused.
/// With `prewarm` (the agent's), the next Envoy is started before it is
/// needed and waits on a named pipe: a validation then costs Envoy's config
/// check alone (~13 ms of a ~50 ms run). The caller starts it (`warmUp`)
/// when nothing waits on the host's cores: the agent does after each apply.
package final class EnvoyValidator: Sendable {
    /// The Envoy binary.
    package let envoy: String
    /// Folder of shared verdict files (`<hash>.ok`, `<hash>.fail`), or nil.
    package let sharedFolder: String?
    /// Seconds Envoy gets before it is killed.
    package let timeout: Double
    /// Verdicts kept in memory, at most.
    package let memoryLimit: Int
    /// Verdict files kept in `sharedFolder`, at most: past it the oldest half goes.
    package let sharedLimit: Int
    private let verdicts = Mutex<[String: String?]>([:])

    /// A validator running `envoy`.
    package init(envoy: String, sharedFolder: String? = nil, timeout: Double = 15, memoryLimit: Int = 256, sharedLimit: Int = 4_096,
                prewarm: Bool = false) {
        self.envoy = envoy
        self.sharedFolder = sharedFolder
        self.timeout = timeout
        self.memoryLimit = memoryLimit
        self.sharedLimit = sharedLimit
        self.prewarm = prewarm
    }

    deinit { shutdown() }

    /// The reason given for a validation that ran out of time: not a verdict
    /// on the config (a loaded host), so it is never remembered.
    static func timedOut(_ seconds: Double) -> String { "envoy --mode validate did not finish within \(Int(seconds)) s" }

    /// nil when Envoy accepts `bootstrap`, else Envoy's reason.
    package func validate(_ bootstrap: String) async -> String? {
        // A cryptographic hash: a bootstrap forged to share a validated one's name would skip validation.
        let key = ContentVersion.hex(bootstrap)
        if let known = verdicts.withLock({ $0[key] }) { return known }
        let verdict: String?
        if let sharedFolder {
            verdict = await shared(key, bootstrap, folder: sharedFolder)
        } else {
            verdict = await run(bootstrap)
        }
        guard verdict != Self.timedOut(timeout) else { return verdict }
        verdicts.withLock { cache in
            if cache.count >= memoryLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = .some(verdict)
        }
        return verdict
    }

    /// The verdict through the shared folder: read it, or lock, check again, validate and write it.
    private func shared(_ key: String, _ bootstrap: String, folder: String) async -> String? {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // A verdict file says "valid": trust only a folder this user owns that nobody else can write.
        var info = stat()
        guard stat(folder, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else { return await run(bootstrap) }
        if let known = Self.readVerdict(folder, key) { return known }
        let lockPath = "\(folder)/\(key).lock"
        let fd = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return await run(bootstrap) }
        defer { close(fd) }
        // flock blocks a thread: wait for it off the cooperative pool.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            ProcessRunner.blocking.async {
                _ = flock(fd, LOCK_EX)
                done.resume()
            }
        }
        defer { _ = flock(fd, LOCK_UN) }
        if let known = Self.readVerdict(folder, key) { return known }
        let verdict = await run(bootstrap)
        guard verdict != Self.timedOut(timeout) else { return verdict }
        let file = "\(folder)/\(key).\(verdict == nil ? "ok" : "fail")"
        try? Data((verdict ?? "").utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        Self.prune(folder, keeping: sharedLimit)
        return verdict
    }

    /// Keeps the shared folder bounded: past `limit` verdicts, the older half
    /// of the files goes (verdicts and their lock files, by modification time).
    static func prune(_ folder: String, keeping limit: Int) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder),
              names.lazy.filter({ !$0.hasSuffix(".lock") }).count > limit else { return }
        let dated = names.map { name -> (String, Date) in
            let modified = (try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)")[.modificationDate] as? Date) ?? .distantPast
            return (name, modified)
        }
        for (name, _) in dated.sorted(by: { $0.1 < $1.1 }).prefix(dated.count / 2) {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
        }
    }

    /// `.some(nil)` for a recorded success, `.some(reason)` for a failure, nil when none is recorded.
    private static func readVerdict(_ folder: String, _ key: String) -> String?? {
        if FileManager.default.fileExists(atPath: "\(folder)/\(key).ok") { return .some(nil) }
        if let data = FileManager.default.contents(atPath: "\(folder)/\(key).fail") { return .some(String(decoding: data, as: UTF8.self)) }
        return nil
    }

    /// An Envoy started ahead of need (`prewarm`): `envoy --mode validate -c
    /// <fifo>.json`, past its start-up (three quarters of a validation's
    /// time) and blocked reading the named pipe. The validator holds the
    /// pipe open for reading and writing, so Envoy's open returns at once and,
    /// should the validator die, Envoy reads an end of file and exits. (Should
    /// it die before Envoy opened the pipe, Envoy waits in `open` until the
    /// next agent on the host ends it: `endOrphans`.)
    private struct Warm: Sendable {
        let folder: String
        let pipe: Int32
        let process: StartedProcess
    }

    private let warm = Mutex<Warm?>(nil)
    /// Whether a validation starts the next Envoy at once (see `Warm`).
    package let prewarm: Bool

    /// Starts the Envoy the next validation uses, unless one waits already.
    package func warmUp() {
        guard prewarm, warm.withLock({ $0 == nil }) else { return }
        guard let next = startWarm() else { return }
        let spare = warm.withLock { current -> Warm? in
            if current == nil { current = next; return nil }
            return next
        }
        if let spare { Self.discard(spare) }
    }

    /// Ends the waiting Envoy (the agent stops).
    package func shutdown() {
        if let idle = warm.withLock({ current -> Warm? in defer { current = nil }; return current }) { Self.discard(idle) }
    }

    /// The folders of warm Envoys: `<prefix><agent pid>-<uuid>`, so a later
    /// agent can tell one whose agent died (`endOrphans`).
    static let warmPrefix = "meshc-validate-warm-"

    /// Ends the warm Envoys of agents that died (SIGKILL, a crash) before
    /// their Envoy opened its pipe: such an Envoy waits in `open` for a
    /// writer forever. For each `warmPrefix` folder this user owns under
    /// `folder` whose agent's process is gone: opens the pipe for writing
    /// (which lets the waiting open return) and closes it (Envoy reads an
    /// end of file, an empty bootstrap, and exits), then removes the folder.
    /// Folders of live agents, and other users', are left alone.
    package static func endOrphans(in folder: String = FileManager.default.temporaryDirectory.path) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for entry in entries where entry.hasPrefix(warmPrefix) {
            guard let owner = entry.dropFirst(warmPrefix.count).split(separator: "-").first.flatMap({ pid_t($0) }), owner > 0,
                  kill(owner, 0) == -1, errno == ESRCH else { continue }
            let path = folder + "/" + entry
            var info = stat()
            guard lstat(path, &info) == 0, info.st_uid == geteuid(), info.st_mode & S_IFMT == S_IFDIR else { continue }
            let pipe = open(path + "/bootstrap.json", O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if pipe >= 0 { close(pipe) }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    private func startWarm() -> Warm? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(Self.warmPrefix)\(getpid())-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
            return nil
        }
        let path = folder + "/bootstrap.json"
        guard mkfifo(path, 0o600) == 0 else { try? FileManager.default.removeItem(atPath: folder); return nil }
        let pipe = open(path, O_RDWR | O_CLOEXEC)
        guard pipe >= 0 else { try? FileManager.default.removeItem(atPath: folder); return nil }
        let process = ProcessRunner.start(envoy, ["--mode", "validate", "-c", path, "--log-level", "error", "--disable-hot-restart"])
        return Warm(folder: folder, pipe: pipe, process: process)
    }

    /// Blocks until `process` holds `path` open (one of its `/proc/<pid>/fd`
    /// links names it), it ended, or `seconds` passed.
    private static func waitUntilOpened(_ path: String, by process: StartedProcess, seconds: Double) {
        let pid = process.processID
        guard pid > 0 else { return }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, kill(pid, 0) == 0 {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
            if fds.contains(where: { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")) == path }) { return }
            usleep(500)
        }
    }

    private static func discard(_ warm: Warm) {
        close(warm.pipe)
        warm.process.kill()
        try? FileManager.default.removeItem(atPath: warm.folder)
    }

    /// Runs Envoy on `bootstrap`: the warm one when there is one (the next is
    /// started at once), else a new one on a temporary file.
    func run(_ bootstrap: String) async -> String? {
        guard prewarm else { return await cold(bootstrap) }
        // The next Envoy is the caller's to start (`warmUp`) once the change is live: started
        // here, its start-up would take a core from this validation and from Envoy's reload.
        let taken = warm.withLock { current -> Warm? in defer { current = nil }; return current }
        guard let ready = taken ?? startWarm() else { return await cold(bootstrap) }
        defer { try? FileManager.default.removeItem(atPath: ready.folder) }
        // The pipe holds 64 KiB: a larger bootstrap blocks until Envoy reads, so write off the cooperative pool.
        let seconds = timeout
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            ProcessRunner.blocking.async {
                // A failed write leaves Envoy a cut bootstrap: it refuses it, and the verdict says why.
                var bootstrap = bootstrap
                _ = bootstrap.withUTF8 { AtomicFile.writeAll(UnsafeRawBufferPointer($0), to: ready.pipe) }
                // A pipe nobody holds open loses what it buffers: close only once Envoy has it open.
                Self.waitUntilOpened(ready.folder + "/bootstrap.json", by: ready.process, seconds: seconds)
                close(ready.pipe)
                done.resume()
            }
        }
        return verdict(await ready.process.result(timeout: timeout))
    }

    /// Writes the bootstrap to a temporary folder and runs Envoy on it.
    private func cold(_ bootstrap: String) async -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-validate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bootstrap.json")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(bootstrap.utf8).write(to: file)
        } catch {
            return "cannot write the bootstrap to \(folder.path): \(error.localizedDescription)"
        }
        return verdict(await ProcessRunner.run(envoy, ["--mode", "validate", "-c", file.path, "--log-level", "error", "--disable-hot-restart"],
                                               timeout: timeout))
    }

    private func verdict(_ result: ProcessRunner.Result) -> String? {
        switch result {
        case .failedToStart(let reason): return "cannot run \(envoy): \(reason)"
        case .timedOut: return Self.timedOut(timeout)
        case .exited(let status, let output):
            guard status != 0 else { return nil }
            let lines = output.split(separator: "\n").map(String.init)
            let reason = lines.last { $0.contains("error") || $0.contains("rror:") } ?? lines.last ?? "exit status \(status)"
            return reason.trimmingCharacters(in: .whitespaces)
        }
    }
}
