import ArgumentParser
import Foundation
import MeshAgent
import MeshReconcile

/// Where `apply` and `reconcile` read the desired state from a git repository.
struct RepositoryFlags: ParsableArguments {
    @Option(help: "A git repository: a local path (worktree or bare) or a URL (https://, ssh://, file://), kept as a mirror in ~/.cache/meshc/git.")
    var repo: String?
    @Option(help: "The ref to follow (default: HEAD for a local repository, origin/HEAD for a URL).")
    var ref: String?
    @Option(help: "Only the manifests under this folder of the repository.")
    var under: String?
    @OptionGroup var git: GitCredentialOptions

    /// The source these flags name (nil without `--repo`).
    func source() throws -> GitSource? {
        guard let repo else { return nil }
        let credentials = try git.credentials { FileHandleOutput.standardError("meshc: warning: \($0)") }
        return try GitSource(location: repo, ref: ref, under: under, credentials: credentials)
    }
}

/// How `apply` and `reconcile` reach and check proxies.
struct PushFlags: ParsableArguments {
    @Option(name: .customLong("token-file"), help: "File holding the bearer token of the agents.")
    var tokenFile: String
    @Option(help: "Agents read, validated and pushed at once, at most.")
    var parallel: Int = 16
    @Option(help: "The Envoy binary for `envoy --mode validate` of dry runs (default: $MESHC_ENVOY, else envoy on PATH; never one in the current folder).")
    var envoy: String?

    func validate() throws {
        if parallel < 1 { throw ValidationError("--parallel must be at least 1") }
    }

    /// The token, or a message and exit 2.
    func token(command: String) throws -> String {
        do {
            return try TokenFile.read(tokenFile, purpose: "the agents' bearer token") {
                FileHandleOutput.standardError("meshc \(command): warning: \($0)")
            }
        } catch {
            FileHandleOutput.standardError("meshc \(command): \(error)")
            throw ExitCode(2)
        }
    }

    /// The validator, or a message and exit 2 when no Envoy is found.
    func validator(command: String) throws -> EnvoyValidator {
        guard let binary = envoy ?? EnvoyLocation.find() else {
            FileHandleOutput.standardError("meshc \(command): \(EnvoyLocation.missing)")
            throw ExitCode(2)
        }
        return EnvoyValidator(envoy: binary)
    }
}

/// The secret of `reconcile`'s `POST /hooks/git` (none: the webhook is off).
struct WebhookFlags: ParsableArguments {
    @Option(name: .customLong("webhook-secret-file"),
            help: "File holding the webhook secret: the GitHub webhook secret, GitLab secret token or bearer token of POST /hooks/git (without it the webhook is off). Not the agents' token.")
    var webhookSecretFile: String?

    /// The webhook's check (nil without the flag), or a message and exit 2
    /// when the file cannot be used or holds the agents' `token`.
    func auth(command: String, token: String) throws -> WebhookAuth? {
        guard let webhookSecretFile else { return nil }
        let secret: String
        do {
            secret = try TokenFile.read(webhookSecretFile, purpose: "the webhook secret", flag: "--webhook-secret-file") {
                FileHandleOutput.standardError("meshc \(command): warning: \($0)")
            }
        } catch {
            FileHandleOutput.standardError("meshc \(command): \(error)")
            throw ExitCode(2)
        }
        if secret == token {
            FileHandleOutput.standardError("meshc \(command): --webhook-secret-file holds the agents' token; give the webhook a secret of its own (the repository host learns it)")
            throw ExitCode(2)
        }
        return WebhookAuth(secret: secret)
    }
}
