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
public final class EnvoyValidator: Sendable {
    /// The Envoy binary.
    public let envoy: String
    /// Folder of shared verdict files (`<hash>.ok`, `<hash>.fail`), or nil.
    public let sharedFolder: String?
    /// Seconds Envoy gets before it is killed.
    public let timeout: Double
    /// Verdicts kept in memory, at most.
    public let memoryLimit: Int
    private let verdicts = Mutex<[String: String?]>([:])

    /// A validator running `envoy`.
    public init(envoy: String, sharedFolder: String? = nil, timeout: Double = 30, memoryLimit: Int = 256) {
        self.envoy = envoy
        self.sharedFolder = sharedFolder
        self.timeout = timeout
        self.memoryLimit = memoryLimit
    }

    /// nil when Envoy accepts `bootstrap`, else Envoy's reason.
    public func validate(_ bootstrap: String) async -> String? {
        let key = FNV1a64.hex(bootstrap)
        if let known = verdicts.withLock({ $0[key] }) { return known }
        let verdict: String?
        if let sharedFolder {
            verdict = await shared(key, bootstrap, folder: sharedFolder)
        } else {
            verdict = await run(bootstrap)
        }
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
            DispatchQueue.global().async {
                _ = flock(fd, LOCK_EX)
                done.resume()
            }
        }
        defer { _ = flock(fd, LOCK_UN) }
        if let known = Self.readVerdict(folder, key) { return known }
        let verdict = await run(bootstrap)
        let file = "\(folder)/\(key).\(verdict == nil ? "ok" : "fail")"
        try? Data((verdict ?? "").utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        return verdict
    }

    /// `.some(nil)` for a recorded success, `.some(reason)` for a failure, nil when none is recorded.
    private static func readVerdict(_ folder: String, _ key: String) -> String?? {
        if FileManager.default.fileExists(atPath: "\(folder)/\(key).ok") { return .some(nil) }
        if let data = FileManager.default.contents(atPath: "\(folder)/\(key).fail") { return .some(String(decoding: data, as: UTF8.self)) }
        return nil
    }

    /// Writes the bootstrap to a temporary folder and runs Envoy on it.
    func run(_ bootstrap: String) async -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-validate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bootstrap.json")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(bootstrap.utf8).write(to: file)
        } catch {
            return "cannot write the bootstrap to \(folder.path): \(error.localizedDescription)"
        }
        let result = await ProcessRunner.run(envoy, ["--mode", "validate", "-c", file.path, "--log-level", "error", "--disable-hot-restart"],
                                             timeout: timeout)
        switch result {
        case .failedToStart(let reason): return "cannot run \(envoy): \(reason)"
        case .timedOut: return "envoy --mode validate did not finish within \(Int(timeout)) s"
        case .exited(let status, let output):
            guard status != 0 else { return nil }
            let lines = output.split(separator: "\n").map(String.init)
            let reason = lines.last { $0.contains("error") || $0.contains("rror:") } ?? lines.last ?? "exit status \(status)"
            return reason.trimmingCharacters(in: .whitespaces)
        }
    }
}
