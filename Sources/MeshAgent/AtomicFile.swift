import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts files in place the way Envoy's file watch needs: the whole text in a
/// staging file in the same folder (same filesystem), fsync, then `rename`
/// over the watched path, so Envoy never reads half a file.
///
/// Access: a file replacing another keeps its mode, owner and group; a new
/// one is 0640 (less the umask), its group the creator's, or the folder's
/// when that is setgid. `group` and `mode` set them instead.
package enum AtomicFile {
    /// Writes `text` to `path` atomically; creates the parent folder. `group`
    /// (mode 0640 unless `mode` says) and `mode` override what the file gets.
    package static func write(_ text: String, to path: String, group: gid_t? = nil, mode: mode_t? = nil) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0), to: path, group: group, mode: mode) }
    }

    /// Writes `bytes` to `path` atomically (see `write(_:to:group:mode:)`).
    package static func write(bytes: [UInt8], to path: String, group: gid_t? = nil, mode: mode_t? = nil) throws {
        try bytes.withUnsafeBytes { try write($0, to: path, group: group, mode: mode) }
    }

    /// Writes `buffer` to `path` atomically, read in place (the applied bundle
    /// and a 10k sidecar's files are megabytes: no copy is made).
    private static func write(_ buffer: UnsafeRawBufferPointer, to path: String, group: gid_t?, mode: mode_t?) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let staging = folder + "/.staging-" + url.lastPathComponent
        let fd = open(staging, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw AgentIOError("cannot create \(staging): \(String(cString: strerror(errno)))") }
        var failure = setAccess(fd, staging, replacing: path, group: group, mode: mode)
        var offset = 0
        while failure == nil, offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { failure = "cannot write \(staging): \(String(cString: strerror(errno)))"; break }
            offset += n
        }
        if failure == nil, fsync(fd) != 0 { failure = "fsync \(staging): \(String(cString: strerror(errno)))" }
        close(fd)
        if let failure { unlink(staging); throw AgentIOError(failure) }
        guard rename(staging, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(staging)
            throw AgentIOError("cannot rename \(staging) to \(path): \(message)")
        }
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

/// A file or process operation of the agent failed.
package struct AgentIOError: Error, CustomStringConvertible, Sendable {
    /// What failed and where.
    package var description: String
    /// An error saying `description`.
    package init(_ description: String) { self.description = description }
}
