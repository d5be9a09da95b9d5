import Foundation

/// What meshc may answer when a remote asks who it is. Never taken from a
/// URL (`GitRepository.open` refuses a URL that carries credentials), and
/// never printed: `description` hides the token.
///
/// - https: the token as the password of `username` (GitHub wants
///   `x-access-token`, GitLab takes `oauth2`), offered only to the host of
///   the remote URL, never to a host a redirect leads to.
/// - ssh: the private key `sshKey` (its `.pub` beside it when there is
///   one), or, without a key, the keys of the ssh agent (`SSH_AUTH_SOCK`).
///
/// Each is offered at most once per fetch: a refused credential ends the
/// fetch with an authentication error instead of libgit2 asking again.
package struct GitCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The user name GitHub wants with a token.
    package static let defaultUsername = "x-access-token"
    /// No token, no key: https anonymously, ssh through the ssh agent.
    package static let none = GitCredentials()

    /// The https token (password), nil for none.
    package var token: String?
    /// The user name sent with the token.
    package var username: String
    /// Path of the ssh private key, nil to use the ssh agent.
    package var sshKey: String?

    /// Credentials from already-read values (read tokens with `TokenFile`).
    package init(token: String? = nil, username: String = defaultUsername, sshKey: String? = nil) {
        self.token = token
        self.username = username
        self.sshKey = sshKey
    }

    /// The settings with the token hidden.
    package var description: String {
        "GitCredentials(token: \(token == nil ? "none" : "***"), username: \(username), sshKey: \(sshKey ?? "none (ssh agent)"))"
    }

    /// The values messages must never show.
    var secrets: [String] { token.map { [$0] } ?? [] }
}
