import ArgumentParser
import Foundation
import MeshAgent
import MeshCompile
import MeshIdentity
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
    @Flag(name: .customLong("strict"), help: "Refuse a commit on every lint error, including findings about runtime state (a subset whose pods are not declared yet).")
    var strict = false

    /// The compiler options of these flags.
    var compileOptions: CompileOptions {
        var options = CompileOptions()
        options.strict = strict
        return options
    }

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

/// `reconcile`'s mesh CA: certificates for every proxy with an agent (none without `--ca-dir`).
struct IdentityFlags: ParsableArguments {
    @Option(name: .customLong("ca-dir"), help: ArgumentHelp(
        "The mesh CA's folder (`meshc ca init`): issue and rotate each proxy's workload certificate, its key made on the agent's host. Without it no certificate is issued.",
        valueName: "DIR"))
    var caDir: String?
    @Option(name: .customLong("trust-domain"), help: "The SPIFFE trust domain of the identities (default: the one the CA's root names, else cluster.local).")
    var trustDomain: String?
    @Option(name: .customLong("cert-ttl"), help: "Lifetime of workload certificates, 1m to 90d (90s, 30m, 24h, 7d); they are renewed at half life.")
    var certTTL = "24h"
    @Option(name: .customLong("certificate-recheck"), help: .hidden)
    var certificateRecheck = "30s"
    @Option(name: .customLong("cert-renewal-point"), help: .hidden)
    var renewalPoint = 0.5

    func validate() throws {
        guard let ttl = CertificateTTL.parse(certTTL) else { throw ValidationError("--cert-ttl '\(certTTL)': give a duration such as 30m, 24h or 7d") }
        do { try CertificateTTL.check(ttl) } catch { throw ValidationError("--cert-ttl: \(error)") }
        guard let recheck = ReconcileCommand.seconds(certificateRecheck), recheck > 0 else {
            throw ValidationError("--certificate-recheck '\(certificateRecheck)': give a duration such as 30s")
        }
        _ = recheck
        if !(renewalPoint > 0 && renewalPoint < 1) { throw ValidationError("--cert-renewal-point must be between 0 and 1") }
        if let trustDomain { do { _ = try TrustDomain(trustDomain) } catch { throw ValidationError("--trust-domain: \(error)") } }
        if trustDomain != nil || certTTL != "24h", caDir == nil { throw ValidationError("--trust-domain and --cert-ttl need --ca-dir") }
    }

    /// The issuer (nil without `--ca-dir`). A CA that cannot be read now is
    /// a warning, not an error: snapshots are still pushed, and issuance
    /// starts once the folder can be read (each issuance reads it).
    func issuer(warn: (String) -> Void) -> CertificateIssuer? {
        guard let caDir, let ttl = CertificateTTL.parse(certTTL) else { return nil }
        var domain = trustDomain.flatMap { try? TrustDomain($0) }
        do {
            let ca = try MeshCA(directory: caDir)
            if domain == nil { domain = ca.trustDomain }
        } catch {
            warn("the CA cannot be read now (\(error)); snapshots are pushed, certificates wait until it can")
        }
        return CertificateIssuer(caDirectory: caDir, trustDomain: domain ?? .default, ttl: ttl)
    }

    /// Seconds between reads of an agent whose certificate is good.
    var recheckSeconds: Double { ReconcileCommand.seconds(certificateRecheck) ?? 30 }
}
