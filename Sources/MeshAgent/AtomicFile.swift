import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts files in place the way Envoy's file watch needs: the whole text in a
/// staging file in the same folder (same filesystem), fsync, then `rename`
/// over the watched path, so Envoy never reads half a file.
package enum AtomicFile {
    /// Writes `text` to `path` atomically; creates the parent folder.
    package static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let staging = folder + "/.staging-" + url.lastPathComponent
        let fd = open(staging, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AgentIOError("cannot create \(staging): \(String(cString: strerror(errno)))") }
        var failure: String?
        var bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeMutableBytes { buffer in
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failure = "cannot write \(staging): \(String(cString: strerror(errno)))"; return }
                offset += n
            }
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
