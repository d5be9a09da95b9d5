import CGit2
import Foundation

/// libgit2 set up once per process, and the small helpers every call uses.
enum Git {
    /// Initialises libgit2 the first time it is read (Swift runs a static
    /// initialiser exactly once, thread-safely). Never shut down: the
    /// process may hold repositories until it exits.
    static let ready: Void = {
        git_libgit2_init()
        // Debian's libgit2 uses mbedTLS, which has no default CA bundle.
        for bundle in ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]
        where FileManager.default.fileExists(atPath: bundle) {
            _ = cgit2_set_ssl_cert_locations(bundle, nil)
            break
        }
    }()

    /// Whether this libgit2 was built with ssh support (libssh2).
    static var supportsSSH: Bool {
        _ = ready
        return git_libgit2_features() & Int32(GIT_FEATURE_SSH.rawValue) != 0
    }

    /// libgit2's message for the last failure on this thread.
    static func lastError() -> String {
        lastErrorIfAny() ?? "unknown libgit2 error"
    }

    /// libgit2's message for the last failure on this thread, nil when
    /// there is none (cleared with `git_error_clear`).
    static func lastErrorIfAny() -> String? {
        guard let error = git_error_last(), let message = error.pointee.message else { return nil }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The object id git gives `bytes` as a blob (`git hash-object`).
    static func blobID(of bytes: [UInt8]) -> ObjectID {
        _ = ready
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        return ObjectID(oid)
    }

    /// The blob id of a file's bytes, read in chunks by libgit2 (no filters).
    static func blobID(ofFile path: String) throws -> ObjectID {
        _ = ready
        var oid = git_oid()
        guard git_odb_hashfile(&oid, path, GIT_OBJECT_BLOB) == 0 else {
            throw SourceError.unreadable(path: path, reason: lastError())
        }
        return ObjectID(oid)
    }
}

/// A git object id: 40 hex digits naming a commit, tree or blob. Also the
/// content id of every source file, folder files included, so one parse
/// cache serves commits and folders alike.
package struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The full id, 40 lowercase hex digits.
    package let hex: String

    init(_ oid: git_oid) {
        var oid = oid
        var text = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        git_oid_fmt(&text, &oid)
        hex = String(cString: text)
    }

    /// The id for `hex` (40 hex digits), nil for anything else.
    package init?(hex: String) {
        guard hex.utf8.count == Int(GIT_OID_HEXSZ), hex.utf8.allSatisfy({ isxdigit(Int32($0)) != 0 }) else { return nil }
        self.hex = hex.lowercased()
    }

    var oid: git_oid {
        var oid = git_oid()
        _ = git_oid_fromstrn(&oid, hex, hex.utf8.count)
        return oid
    }

    /// The first 12 digits, for messages.
    package var short: String { String(hex.prefix(12)) }
    package var description: String { hex }
    package static func < (a: ObjectID, b: ObjectID) -> Bool { a.hex < b.hex }
}

/// One commit's metadata.
package struct GitCommit: Hashable, Sendable {
    /// The commit's sha.
    package let id: ObjectID
    /// Committer time.
    package let time: Date
    /// The first line of the message.
    package let summary: String
    /// The author's name.
    package let author: String
}
