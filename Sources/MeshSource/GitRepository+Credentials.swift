import CGit2
import Foundation

/// One fetch's answers to the remote's credential requests. libgit2 calls
/// its callback again after each refusal; every method is offered at most
/// once, so a refused credential ends the fetch instead of looping.
final class CredentialSession {
    /// What can be offered.
    enum Method: String, CaseIterable {
        case sshUsername = "the ssh login"
        case sshKey = "the ssh key"
        case sshAgent = "the ssh agent's keys"
        case token = "the https token"
    }

    /// A bound on requests whatever the remote does.
    static let maxRequests = 6

    let credentials: GitCredentials
    /// The host of the remote URL: the only one the token goes to.
    let host: String?
    /// How often the remote asked.
    private(set) var requests = 0
    /// What was offered, in order.
    private(set) var offered: [Method] = []
    /// What the remote asked for that meshc did not have, or would not give.
    private(set) var lacking: [String] = []
    /// Whether a request went unanswered: nothing (more) to offer.
    private(set) var gaveUp = false

    init(credentials: GitCredentials, remoteURL: String) {
        _ = Git.ready
        self.credentials = credentials
        host = GitURL.host(of: remoteURL)
    }

    /// The answer to one request: a credential in `out` and 0, or an error
    /// code (`GIT_EAUTH` once everything allowed was tried).
    func answer(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, url: String?, usernameFromURL: String?,
                allowed: UInt32) -> Int32 {
        let code = choose(out, url: url, usernameFromURL: usernameFromURL, allowed: allowed)
        if code == GIT_EAUTH.rawValue { gaveUp = true }
        return code
    }

    private func choose(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, url: String?, usernameFromURL: String?,
                        allowed: UInt32) -> Int32 {
        requests += 1
        guard requests <= Self.maxRequests else { return GIT_EAUTH.rawValue }
        let login = usernameFromURL ?? "git"
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            if let key = credentials.sshKey {
                guard offer(.sshKey) else { return GIT_EAUTH.rawValue }
                let publicKey = FileManager.default.fileExists(atPath: key + ".pub") ? key + ".pub" : nil
                return git_credential_ssh_key_new(out, login, publicKey, key, nil)
            }
            guard offer(.sshAgent) else { return GIT_EAUTH.rawValue }
            return git_credential_ssh_key_from_agent(out, login)
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            guard let token = credentials.token else {
                lacking.append("an https token")
                return GIT_EAUTH.rawValue
            }
            if let asking = url.flatMap(GitURL.host(of:)), asking != host {
                lacking.append("the token for \(asking) (a redirect; the token only goes to \(host ?? "the remote's host"), never elsewhere)")
                return GIT_EAUTH.rawValue
            }
            guard offer(.token) else { return GIT_EAUTH.rawValue }
            return git_credential_userpass_plaintext_new(out, credentials.username, token)
        }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            guard offer(.sshUsername) else { return GIT_EAUTH.rawValue }
            return git_credential_username_new(out, login)
        }
        lacking.append("a kind of credential meshc does not give (allowed types \(allowed))")
        return GIT_EAUTH.rawValue
    }

    /// Records `method` as offered; false when it was offered already.
    private func offer(_ method: Method) -> Bool {
        guard !offered.contains(method) else { return false }
        offered.append(method)
        return true
    }

    /// What happened, for the error message: what was refused or missing.
    var summary: String {
        var parts: [String] = []
        let refused = offered.filter { $0 != .sshUsername }
        if !refused.isEmpty {
            var tried = refused.map(\.rawValue).joined(separator: ", ")
            if refused.contains(.token) { tried += " (user name \(credentials.username))" }
            parts.append("the remote refused \(tried)")
        }
        if !lacking.isEmpty { parts.append("the remote wants " + lacking.joined(separator: ", ") + ", which meshc was not given") }
        return parts.joined(separator: "; ")
    }
}

/// libgit2's credential callback: hands the request to the fetch's
/// `CredentialSession` (the payload).
let acquireCredential: git_credential_acquire_cb = { out, url, usernameFromURL, allowedTypes, payload in
    guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
    let session = Unmanaged<CredentialSession>.fromOpaque(payload).takeUnretainedValue()
    return session.answer(out, url: url.map { String(cString: $0) }, usernameFromURL: usernameFromURL.map { String(cString: $0) },
                          allowed: allowedTypes)
}
