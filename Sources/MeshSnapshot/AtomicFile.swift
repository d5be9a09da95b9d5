import Foundation
import MeshDiagnostics
#if canImport(Glibc)
import Glibc
#endif

/// Puts files in place the way Envoy's file watch needs: the whole text in a
/// staging file of its own in the same folder (same filesystem), fsync, then
/// `rename` over the watched path, so Envoy never reads half a file.
///
/// Access: a file replacing another keeps its mode, owner and group; a new
/// one is `created` (0640 unless said; less the umask), its group the
/// creator's, or the folder's when that is setgid. `group` and `mode` set them instead.
///
/// The agent's delivery and `meshc build`'s output folders (`BuildFolder`) both write through it.
package enum AtomicFile {
    /// Writes `text` to `path` atomically; creates the parent folder. `group`
    /// (mode 0640 unless `mode` says) and `mode` override what the file gets.
    package static func write(_ text: String, to path: String, group: gid_t? = nil, mode: mode_t? = nil) throws {
        var text = text
        try text.withUTF8 { bytes in try write(UnsafeRawBufferPointer(bytes), to: path, group: group, mode: mode) }
    }

    /// Writes `bytes` to `path` atomically (see `write(_:to:group:mode:)`).
    package static func write(bytes: [UInt8], to path: String, group: gid_t? = nil, mode: mode_t? = nil) throws {
        try bytes.withUnsafeBytes { buffer in try write(buffer, to: path, group: group, mode: mode) }
    }

    /// Writes what `produce` writes to its stream to `path` atomically, as it
    /// comes (through a 1 MiB buffer): a text of megabytes made of pieces (the
    /// applied bundle, `ProxySnapshot.writeBundle`) is never whole in memory.
    /// `durable: false` skips the syncs (`meshc build`'s output: readers still
    /// never see half a file; a crash may lose the newest ones, as a compiler's outputs).
    package static func write(to path: String, group: gid_t? = nil, mode: mode_t? = nil, created: mode_t = 0o640,
                              durable: Bool = true, _ produce: (inout Stream) -> Void) throws {
        try write(to: path, group: group, mode: mode, created: created, durable: durable) { fd in
            var stream = Stream(fd: fd)
            produce(&stream)
            stream.flush()
            return stream.failure
        }
    }

    /// A `TextOutputStream` into a staging file; the first failed write stops it.
    package struct Stream: TextOutputStream {
        private static let capacity = 1 << 20
        fileprivate let fd: Int32
        private var buffer: [UInt8] = []
        fileprivate private(set) var failure: String?

        fileprivate init(fd: Int32) {
            self.fd = fd
            buffer.reserveCapacity(Self.capacity)
        }

        package mutating func write(_ text: String) {
            guard failure == nil else { return }
            var text = text
            text.withUTF8 { bytes in
                if buffer.count + bytes.count > Self.capacity { flush() }
                if bytes.count >= Self.capacity {
                    failure = AtomicFile.writeAll(UnsafeRawBufferPointer(bytes), to: fd)
                } else {
                    buffer.append(contentsOf: bytes)
                }
            }
        }

        fileprivate mutating func flush() {
            guard failure == nil, !buffer.isEmpty else { return }
            failure = buffer.withUnsafeBytes { AtomicFile.writeAll($0, to: fd) }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Writes `buffer` to `path` atomically, read in place (a 10k sidecar's
    /// files are megabytes: no copy is made).
    private static func write(_ buffer: UnsafeRawBufferPointer, to path: String, group: gid_t?, mode: mode_t?) throws {
        try write(to: path, group: group, mode: mode, created: 0o640, durable: true) { fd in writeAll(buffer, to: fd) }
    }

    /// Every byte of `buffer` to `fd` (a file or a pipe; retried on EINTR); the failure, else nil.
    package static func writeAll(_ buffer: UnsafeRawBufferPointer, to fd: Int32) -> String? {
        POSIXFile.writeAll(buffer, to: fd).map { "cannot write: \($0)" }
    }

    /// The staging file of `path` written by `body` (its failure, else nil), synced and renamed over `path`.
    private static func write(to path: String, group: gid_t?, mode: mode_t?, created: mode_t, durable: Bool, body: (Int32) -> String?) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw AtomicFileError("cannot create \(folder): \(error.localizedDescription)")
        }
        // A name no other writer uses (two builds into one folder, a crashed writer's leftover): each
        // writer's bytes go to its own staging file, and the last rename wins with a whole file.
        var staging = "", fd: Int32 = -1
        for _ in 0..<8 {
            staging = folder + "/.staging-" + String(UInt32.random(in: .min ... .max), radix: 16) + "-" + url.lastPathComponent
            fd = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, created)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw AtomicFileError("cannot create \(staging): \(String(cString: strerror(errno)))") }
        var failure = setAccess(fd, staging, replacing: path, group: group, mode: mode)
        if failure == nil, let problem = body(fd) { failure = "\(staging): \(problem)" }
        if failure == nil, durable, fsync(fd) != 0 { failure = "fsync \(staging): \(String(cString: strerror(errno)))" }
        close(fd)
        if let failure { unlink(staging); throw AtomicFileError(failure) }
        guard rename(staging, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(staging)
            throw AtomicFileError("cannot rename \(staging) to \(path): \(message)")
        }
        guard durable else { return }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// Gives the staging file `fd` its access (see the type's comment); a failure's message, else nil.
    private static func setAccess(_ fd: Int32, _ staging: String, replacing path: String, group: gid_t?, mode: mode_t?) -> String? {
        var old = stat()
        let replaced = stat(path, &old) == 0
        let failed = { (what: String) in "cannot \(what) \(staging): \(String(cString: strerror(errno)))" }
        if let group {
            if fchown(fd, uid_t.max, group) != 0 { return failed("give group \(group) to") }
        } else if replaced, mode == nil {
            // Another user's file (an agent not running as root) keeps what it can: the mode below.
            _ = fchown(fd, old.st_uid, old.st_gid)
        }
        let wanted = mode ?? (group != nil ? 0o640 : replaced ? old.st_mode & 0o7777 : nil)
        if let wanted, fchmod(fd, wanted) != 0 { return failed("set the mode of") }
        return nil
    }

    /// Deletes `path`; a missing file is fine.
    package static func remove(_ path: String) {
        unlink(path)
    }
}

/// A file could not be put in place: what failed and where
/// (`cannot create /var/lib/meshc/.staging-cds.json: Permission denied`).
package struct AtomicFileError: Error, CustomStringConvertible, Sendable {
    /// What failed and where.
    package var description: String
    /// An error saying `description`.
    package init(_ description: String) { self.description = description }
}
