import Foundation

/// The one reader of secret files (`--token-file` of agent, apply,
/// reconcile and plan, the webhook secret, the git token): the first line,
/// trimmed, must not be empty, and the file must be the owner's alone.
package enum TokenFile {
    /// Tokens shorter than this get a warning.
    package static let recommendedLength = 32

    /// The token in `path`. Throws a message naming `flag`, the file and
    /// `purpose` when the file cannot be read, is empty, or is readable or
    /// writable by group or others (it says to `chmod 600` it); calls
    /// `warn` with a message when the token is shorter than 32 characters.
    package static func read(_ path: String, purpose: String, flag: String = "--token-file",
                             warn: (String) -> Void = { _ in }) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw TokenFileError("cannot read \(flag) \(path) (\(purpose)): \(String(cString: strerror(errno)))")
        }
        try ownerOnly(info, path: path, named: "\(flag) \(path) (\(purpose))")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TokenFileError("cannot read \(flag) \(path) (\(purpose))")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw TokenFileError("\(flag) \(path) is empty; it must hold \(purpose)") }
        if let warning = shortTokenWarning(token, from: "\(flag) \(path)") { warn(warning) }
        return token
    }

    /// Throws unless the file `info` describes (at `path`, called `name` in
    /// the message) is its owner's alone: the one check of every secret file
    /// meshc reads (tokens, secrets, ssh keys).
    package static func ownerOnly(_ info: stat, path: String, named name: String) throws {
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw TokenFileError("\(name) can be read or written by group or others (mode "
                + String(mode, radix: 8) + "); run `chmod 600 \(path)` so only its owner can")
        }
    }

    /// The warning for a token shorter than `recommendedLength` taken
    /// `from` somewhere (`--token-file PATH`, an environment variable), nil
    /// for a long enough one.
    package static func shortTokenWarning(_ token: String, from source: String) -> String? {
        guard token.count < recommendedLength else { return nil }
        return "\(source) holds a token of \(token.count) characters; short tokens can be guessed: "
            + "use at least \(recommendedLength) random characters (e.g. `openssl rand -hex 32`)"
    }
}

/// A token file that cannot be used.
package struct TokenFileError: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ description: String) { self.description = description }
}
