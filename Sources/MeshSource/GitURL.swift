import Foundation

/// What a remote URL says about credentials, and the one redaction every
/// message that shows a URL goes through.
///
/// The rule: ssh logins are not secrets (ssh authenticates with keys), so
/// `ssh://git@host/x` and `git@host:x` keep their user name; every other
/// scheme loses its whole user information (`https://***@host/x`), user
/// names included, because tokens are often passed as user names.
package enum GitURL {
    /// Whether `url` is fetched over ssh: `ssh://`, `git+ssh://`,
    /// `ssh+git://`, or scp-like `user@host:path`.
    package static func isSSH(_ url: String) -> Bool {
        if let scheme = scheme(of: url) { return sshSchemes.contains(scheme) }
        return GitRepository.isRemote(url)
    }

    /// `url` with its credentials hidden: any user information of a
    /// non-ssh URL becomes `***`, an ssh password becomes `***` (the login
    /// stays). Anything that is not a URL with user information comes back
    /// as it is.
    package static func redacted(_ url: String) -> String {
        guard let info = userInfo(of: url) else { return url }
        let kept: String
        if let scheme = scheme(of: url), sshSchemes.contains(scheme) {
            kept = info.password == nil ? String(info.user) : info.user + ":***"
        } else {
            kept = "***"
        }
        return String(url[..<info.range.lowerBound]) + kept + String(url[info.range.upperBound...])
    }

    /// `text` (an error message, libgit2's included, which may echo the
    /// URL) with every `scheme://` URL in it redacted and every one of
    /// `secrets` of 4 characters or more replaced by `***`.
    package static func scrubbed(_ text: String, secrets: [String] = []) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: "***")
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
                result = result.replacingOccurrences(of: encoded, with: "***")
            }
        }
        guard result.contains("://") else { return result }
        let matches = urlPattern.matches(in: result, range: NSRange(result.startIndex..., in: result))
        for match in matches.reversed() {
            guard let range = Range(match.range, in: result) else { continue }
            result.replaceSubrange(range, with: redacted(String(result[range])))
        }
        return result
    }

    /// Why `url` cannot be used as a remote (it carries credentials), nil
    /// when it can. An ssh login alone is fine; a password never is.
    static func credentialProblem(_ url: String) -> SourceError? {
        guard let info = userInfo(of: url) else { return nil }
        if info.password == nil, let scheme = scheme(of: url), sshSchemes.contains(scheme) { return nil }
        return .credentialsInURL(url: redacted(url))
    }

    /// The host of `url` (`scheme://[user@]host[:port]/…`), lowercased;
    /// nil for scp-like URLs and local paths.
    static func host(of url: String) -> String? {
        guard let authority = authority(of: url) else { return nil }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority[...]
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            return String(hostPort[...close]).lowercased()
        }
        return String(hostPort.prefix { $0 != ":" }).lowercased()
    }

    private static let sshSchemes: Set<String> = ["ssh", "git+ssh", "ssh+git"]

    /// A URL with a scheme, up to the first character that cannot be part
    /// of one in a message.
    private static let urlPattern = try! NSRegularExpression(pattern: #"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'"<>`]+"#)

    /// The scheme before `://`, lowercased; nil when there is none.
    private static func scheme(of url: String) -> String? {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) })
        else { return nil }
        return scheme.lowercased()
    }

    /// The authority of a `scheme://` URL: after `://`, before the path,
    /// query or fragment.
    private static func authority(of url: String) -> Substring? {
        guard scheme(of: url) != nil, let separator = url.range(of: "://") else { return nil }
        return url[separator.upperBound...].prefix { !"/?#".contains($0) }
    }

    /// The user information of a `scheme://` URL (before the last `@` of
    /// the authority): its range, the user, and the password if any.
    private static func userInfo(of url: String) -> (range: Range<String.Index>, user: Substring, password: Substring?)? {
        guard let authority = authority(of: url), let at = authority.lastIndex(of: "@") else { return nil }
        let info = url[authority.startIndex..<at]
        guard let colon = info.firstIndex(of: ":") else { return (info.startIndex..<at, info, nil) }
        return (info.startIndex..<at, info[..<colon], info[info.index(after: colon)...])
    }
}
