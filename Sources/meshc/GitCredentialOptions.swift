import ArgumentParser
import Foundation
import MeshAgent
import MeshSource

/// How `apply`, `reconcile` and `plan` authenticate to a git remote. Never
/// from the URL (a URL with credentials is refused) or the command line.
struct GitCredentialOptions: ParsableArguments {
    /// The environment variable holding an https token when `--git-token-file` is not given.
    static let tokenVariable = "MESHC_GIT_TOKEN"

    @Option(name: .customLong("git-token-file"),
            help: "File (mode 600) holding the https token of the git remote (default: $MESHC_GIT_TOKEN, else anonymous).")
    var gitTokenFile: String?
    @Option(name: .customLong("git-username"),
            help: "The user name sent with the token: x-access-token for GitHub (the default), oauth2 for GitLab.")
    var gitUsername: String = GitCredentials.defaultUsername
    @Option(name: .customLong("git-ssh-key"),
            help: "The ssh private key for ssh:// and git@host:path remotes (default: the keys of the ssh agent). No passphrase; ssh host keys are not checked.")
    var gitSSHKey: String?

    func validate() throws {
        if gitUsername.isEmpty { throw ValidationError("--git-username must not be empty") }
    }

    /// The credentials these options (and `MESHC_GIT_TOKEN`) give; `warn`
    /// gets a message for a short token. Throws the token file's message.
    func credentials(environment: [String: String] = ProcessInfo.processInfo.environment,
                     warn: (String) -> Void = { _ in }) throws -> GitCredentials {
        var token: String?
        if let gitTokenFile {
            token = try TokenFile.read(gitTokenFile, purpose: "the git remote's https token", flag: "--git-token-file", warn: warn)
        } else if let value = environment[Self.tokenVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
            if let warning = TokenFile.shortTokenWarning(value, from: Self.tokenVariable) { warn(warning) }
            token = value
        }
        if let gitSSHKey {
            var info = stat()
            guard stat(gitSSHKey, &info) == 0, FileManager.default.isReadableFile(atPath: gitSSHKey) else {
                throw ValidationError("--git-ssh-key \(gitSSHKey): cannot read the file; give the path of an ssh private key")
            }
            do { try TokenFile.ownerOnly(info, path: gitSSHKey, named: "--git-ssh-key \(gitSSHKey)") } catch {
                throw ValidationError("\(error)")
            }
        }
        return GitCredentials(token: token, username: gitUsername, sshKey: gitSSHKey)
    }

    /// The credentials, or a message on standard error and exit 2.
    func credentials(command: String) throws -> GitCredentials {
        do {
            return try credentials { FileHandleOutput.standardError("meshc \(command): warning: \($0)") }
        } catch {
            FileHandleOutput.standardError("meshc \(command): \(error)")
            throw ExitCode(2)
        }
    }
}
