import CGit2
import Foundation
@testable import MeshSource
import MeshTestSupport
import Testing

/// Credentials never come from a URL and never show in a message; each
/// credential is offered once; mirrors are the owner's alone.
@Suite struct GitCredentialTests {
    @Test(arguments: [
        "https://user:s3cr3t-pass@example.com/mesh.git",
        "https://s3cr3t-token@example.com/mesh.git",
        "http://s3cr3t-user:@example.com:8080/mesh.git",
        "ssh://git:s3cr3t-pass@example.com/mesh.git",
        "file://s3cr3t-user@localhost/srv/mesh.git",
    ])
    func aURLWithCredentialsIsRefused(url: String) throws {
        let fixture = try GitFixture()
        defer { fixture.remove() }
        let cache = fixture.base + "/cache"
        let error = try #require(throws: SourceError.self) {
            try GitRepository.open(url, cacheFolder: cache, credentials: GitCredentials(token: "a-token-from-a-file"))
        }
        guard case .credentialsInURL = error else {
            Issue.record("expected credentialsInURL, got \(error)")
            return
        }
        #expect(!error.description.contains("s3cr3t"), "\(error)")
        #expect(!error.description.contains("user:"), "\(error)")
        #expect(error.description.contains("--git-token-file"))
        #expect(!FileManager.default.fileExists(atPath: cache), "nothing is written for a refused URL")
    }

    @Test(arguments: [
        ("https://tok@host/x", "https://***@host/x"),
        ("https://u:p@host/x", "https://***@host/x"),
        ("HTTPS://u:p@host:8443/x?y=@z", "HTTPS://***@host:8443/x?y=@z"),
        ("https://host/x", "https://host/x"),
        ("https://host/a@b", "https://host/a@b"),
        ("ssh://git@host/x", "ssh://git@host/x"),
        ("ssh://git:p@host/x", "ssh://git:***@host/x"),
        ("git+ssh://git@host/x", "git+ssh://git@host/x"),
        ("git@host:x", "git@host:x"),
        ("file:///srv/a@b/mesh.git", "file:///srv/a@b/mesh.git"),
        ("/srv/mesh", "/srv/mesh"),
    ])
    func redaction(url: String, shown: String) {
        #expect(GitURL.redacted(url) == shown)
    }

    @Test func libgit2MessagesAreScrubbedOfURLsAndTheToken() {
        let message = "unexpected http status 302 redirecting to 'https://u:pw@evil.example/x' with ghp_0123456789abcdef"
        let scrubbed = GitURL.scrubbed(message, secrets: ["ghp_0123456789abcdef"])
        #expect(scrubbed == "unexpected http status 302 redirecting to 'https://***@evil.example/x' with ***")
        let error = SourceError.fetchFailed(url: "https://host/x", reason: "see https://tok@host/y")
        #expect(!error.description.contains("tok@"), "\(error)")
        #expect(!"\(GitCredentials(token: "ghp_0123456789abcdef"))".contains("ghp_"))
    }

    @Test func eachCredentialIsOfferedOnceAndOnlyToTheRemote() throws {
        let https = CredentialSession(credentials: GitCredentials(token: "a-token-of-some-length", username: "oauth2"),
                                      remoteURL: "https://git.example/mesh.git")
        var credential: UnsafeMutablePointer<git_credential>?
        let plaintext = GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue
        #expect(https.answer(&credential, url: "https://git.example/mesh.git", usernameFromURL: nil, allowed: plaintext) == 0)
        git_credential_free(credential)
        credential = nil
        // Refused: libgit2 asks again; the token is not offered twice.
        #expect(https.answer(&credential, url: "https://git.example/mesh.git", usernameFromURL: nil, allowed: plaintext) == GIT_EAUTH.rawValue)
        #expect(https.summary.contains("refused the https token (user name oauth2)"))

        let redirected = CredentialSession(credentials: GitCredentials(token: "a-token-of-some-length"), remoteURL: "https://git.example/m")
        #expect(redirected.answer(&credential, url: "https://elsewhere.example/m", usernameFromURL: nil, allowed: plaintext)
            == GIT_EAUTH.rawValue)
        #expect(redirected.offered.isEmpty)
        #expect(redirected.summary.contains("elsewhere.example"))

        let anonymous = CredentialSession(credentials: .none, remoteURL: "https://git.example/m")
        #expect(anonymous.answer(&credential, url: nil, usernameFromURL: nil, allowed: plaintext) == GIT_EAUTH.rawValue)
        #expect(anonymous.summary.contains("an https token"))

        let ssh = CredentialSession(credentials: GitCredentials(sshKey: "/nonexistent/id_ed25519"), remoteURL: "ssh://git.example/m")
        for _ in 0..<CredentialSession.maxRequests + 2 {
            _ = ssh.answer(&credential, url: nil, usernameFromURL: "git", allowed: GIT_CREDENTIAL_SSH_KEY.rawValue)
            git_credential_free(credential)
            credential = nil
        }
        #expect(ssh.offered == [.sshKey])
    }

    @Test func aLocalMirrorFetchesWithCredentialsConfigured() throws {
        let (fixture, url) = try MirrorTests.upstream()
        defer { fixture.remove() }
        let credentials = GitCredentials(token: "never-asked-for-over-file", sshKey: "/nonexistent/key")
        let repo = try GitRepository.open(url, cacheFolder: fixture.folder("cache"), credentials: credentials)
        try repo.fetch()
        #expect(try repo.resolve("main").hex == fixture.git("rev-parse", "main"))
    }

    @Test func mirrorFoldersAndFilesAreTheOwnersAlone() throws {
        let (fixture, url) = try MirrorTests.upstream()
        defer { fixture.remove() }
        let cache = fixture.base + "/new/cache"
        let repo = try GitRepository.open(url, cacheFolder: cache)
        try repo.fetch()
        for folder in [fixture.base + "/new", cache] { #expect(try mode(folder) == 0o700, "\(folder)") }
        var checked = 0
        for path in [repo.path] + (FileManager.default.subpaths(atPath: repo.path) ?? []).map({ repo.path + "/" + $0 }) {
            var info = stat()
            #expect(lstat(path, &info) == 0)
            if info.st_mode & S_IFMT == S_IFDIR {
                #expect(info.st_mode & 0o777 == 0o700, "\(path)")
            } else {
                #expect(info.st_mode & 0o077 == 0, "\(path): \(String(info.st_mode & 0o777, radix: 8))")
                #expect(info.st_mode & 0o600 != 0)
            }
            checked += 1
        }
        #expect(checked > 10)
        let config = repo.path + "/config"
        #expect(try mode(config) == 0o600)
    }

    private func mode(_ path: String) throws -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CocoaError(.fileNoSuchFile) }
        return info.st_mode & 0o777
    }
}
