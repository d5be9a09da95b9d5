import Foundation
import MeshDiagnostics
import MeshSnapshot

/// `meshc build`'s output: one folder per proxy under `out`, each holding
/// the files of `EmittedProxy.fileJobs`.
package enum BuildFolder {
    /// Writes every proxy's files under `out` (`out/<proxy>/…`), each put in
    /// place atomically (`AtomicFile`: a staging file renamed, not synced; a
    /// new file is 0644 less the umask). Files are written largest first on every
    /// core, each streamed from its resources' bytes through one small buffer:
    /// a 10k sidecar's files are tens of MiB, never whole in memory.
    /// Route and secret files of an earlier build are removed first, so a
    /// second build into the same folder at the same time is refused
    /// (`OutputLock`): each would remove the other's route files.
    /// Returns each proxy's folder, in `proxies`' order.
    package static func write(_ proxies: [EmittedProxy], to out: URL, bootstrap form: BootstrapForm = .dynamic) throws(BuildFolderError) -> [URL] {
        let lock = try OutputLock(out)
        defer { lock.release() }
        let folders = proxies.map { out.appendingPathComponent($0.proxy) }
        var jobs: [(folder: URL, file: FileJob)] = []
        for (proxy, folder) in zip(proxies, folders) {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw BuildFolderError(description: "cannot create \(folder.path): \(reason(error))")
            }
            // Route files of an earlier build would otherwise linger beside the new ones.
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(RouteSource.folder))
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("secrets"))
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("secrets.json"))
            jobs += proxy.fileJobs(folder: folder.path, bootstrap: form).map { (folder, $0) }
        }
        let all = jobs
        let order = all.indices.sorted { (all[$0].file.bytes, $1) > (all[$1].file.bytes, $0) }
        let failures = order.parallelMap(chunk: 1) { position -> (position: Int, message: String)? in
            let job = all[position]
            let path = job.folder.appendingPathComponent(job.file.name).path
            do {
                // Not synced: build output, as a compiler's (a push to a proxy goes through the agent, which syncs).
                try AtomicFile.write(to: path, created: 0o644, durable: false) { job.file.write(to: &$0) }
            } catch {
                return (position, "cannot write \(path): \(error)")
            }
            return nil
        }
        // The first failure in proxy and file order, as when proxies were written one after another.
        if let failure = failures.compactMap({ $0 }).min(by: { $0.position < $1.position }) {
            throw BuildFolderError(description: "\(failure.message); \(all[failure.position].folder.path) is incomplete, build again once it can be written")
        }
        return folders
    }

    /// What the system said (`Is a directory`), not Foundation's wrapper of it.
    fileprivate static func reason(_ error: Error) -> String {
        let wrapped = error as NSError
        switch wrapped.userInfo[NSUnderlyingErrorKey] {
        case let posix as POSIXError: return String(cString: strerror(posix.code.rawValue))
        case let underlying as NSError where underlying.domain == NSPOSIXErrorDomain: return String(cString: strerror(Int32(underlying.code)))
        default: return wrapped.localizedDescription
        }
    }
}

/// An output folder held by one build while it writes: `flock` on
/// `.meshc-build.lock` in it (released when the build ends, or its process
/// does). A build that finds it held stops and says so, writing nothing.
private struct OutputLock {
    static let name = ".meshc-build.lock"
    private let descriptor: Int32

    init(_ out: URL) throws(BuildFolderError) {
        do {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        } catch {
            throw BuildFolderError(description: "cannot create \(out.path): \(BuildFolder.reason(error))")
        }
        let path = out.appendingPathComponent(Self.name).path
        // Not through a link planted at the name; created 0644 less the umask, as the build's files.
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw BuildFolderError(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            throw BuildFolderError(description: code == EWOULDBLOCK
                ? "another meshc build is writing \(out.path); nothing was written: build again once it is done, or into another folder"
                : "cannot lock \(path): \(String(cString: strerror(code)))")
        }
        self.descriptor = descriptor
    }

    func release() { close(descriptor) }
}

/// A file or folder of `meshc build`'s output could not be written: which, and why.
package struct BuildFolderError: Error, CustomStringConvertible {
    package let description: String
}
