#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MeshDiagnostics

/// The files of a CA folder (Istio's plug-in CA layout) and the few
/// file operations the CA needs: reads that refuse keys others can read,
/// atomic writes with a mode, a private folder.
enum CAFiles {
    /// The CA's certificate.
    static let certificate = "ca-cert.pem"
    /// The CA's private key (mode 0600).
    static let key = "ca-key.pem"
    /// An intermediate's chain: `ca-cert.pem`, the intermediates above it, the root.
    static let chain = "cert-chain.pem"
    /// An intermediate's trust anchor (absent when the CA is the root).
    static let root = "root-cert.pem"

    /// `directory/name`.
    static func path(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The text of `path`; throws `IdentityError.caFile` saying why not.
    static func read(_ path: String) throws -> String {
        guard exists(path) else { throw IdentityError.caFile(path, "it does not exist") }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw IdentityError.caFile(path, "it cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
    }

    /// The text of a private key file, refused when group or others may read it.
    static func readKey(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw IdentityError.caFile(path, "it does not exist") }
        let mode = UInt16(info.st_mode & 0o777)
        if mode & 0o077 != 0 { throw IdentityError.keyFileReadable(path, mode) }
        return try read(path)
    }

    /// Makes `directory` (and its parents) if missing and sets its mode to 0700.
    static func makePrivateDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw IdentityError.caFile(directory, "the folder cannot be made (\(error.localizedDescription))")
        }
        if chmod(directory, 0o700) != 0 { throw IdentityError.caFile(directory, "its mode cannot be set to 0700 (\(errorText()))") }
    }

    /// Writes `text` to `path` atomically: a temporary file created with
    /// `mode` in the same folder (never wider, whatever the umask), synced,
    /// then renamed over `path`.
    static func writeAtomically(_ text: String, to path: String, mode: mode_t) throws {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw IdentityError.caFile(path, "it cannot be written (\(errorText()))") }
        var failure: String? = fchmod(fd, mode) == 0 ? nil : errorText()
        if failure == nil {
            var text = text
            failure = text.withUTF8 { POSIXFile.writeAll(UnsafeRawBufferPointer($0), to: fd) }
        }
        if failure == nil, fsync(fd) != 0 { failure = errorText() }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = errorText() }
        if let failure {
            unlink(temporary)
            throw IdentityError.caFile(path, "it cannot be written (\(failure))")
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
