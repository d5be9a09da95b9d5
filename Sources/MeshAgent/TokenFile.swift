import Foundation

/// The one reader of bearer-token files (`--token-file` of agent, apply,
/// reconcile and plan): the first line, trimmed, must not be empty.
package enum TokenFile {
    /// The token in `path`; throws a message naming the file and `purpose`.
    package static func read(_ path: String, purpose: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TokenFileError("cannot read --token-file \(path) (\(purpose))")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw TokenFileError("--token-file \(path) is empty; it must hold \(purpose)") }
        return token
    }
}

/// A token file that cannot be used.
package struct TokenFileError: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ description: String) { self.description = description }
}
