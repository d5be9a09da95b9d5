import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MeshIdentity
import MeshLint
import MeshPipeline
import MeshReconcile

/// `meshc reconcile`: keeps every proxy in step with a git ref.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Keep every proxy in step with a git ref: poll, webhook, /status, /metrics.",
        discussion: """
        Every --interval, and at once on POST /hooks/git, fetches \
        (for a URL), resolves --ref and compiles a commit it has not seen; a commit with lint or \
        consistency errors is never applied (the last good one stays; /status says why). Each round \
        also reads every agent, so drift (an agent restarted with older or no config) is re-applied, \
        and failed proxies are retried with backoff (0.5 s doubling to 30 s). With --ca-dir, each \
        proxy's agent gets a workload certificate for the identity the repository gives it (its key \
        made on the agent's host; the first CSR proved by an enrollment token, later ones by the \
        current certificate), renewed at half of --cert-ttl; /status shows serial and expiry. Each agent checks what \
        a push brings with `envoy --mode validate` before it writes anything. HTTP on --listen: GET /status, GET /metrics, \
        GET /healthz, POST /hooks/git. The webhook is off (404) unless --webhook-secret-file is given; it \
        then accepts any one of GitHub's X-Hub-Signature-256 (HMAC-SHA256 of the body, at most 256 KiB), \
        GitLab's X-Gitlab-Token or Authorization: Bearer, each made with that secret (never the agents' token). \
        Once listening, standard error gets \
        "meshc reconcile: listening on HOST:PORT". SIGTERM or SIGINT stops it (an in-flight push is \
        abandoned; the agent finishes or rolls back on its own) and it exits 0. No local state: a \
        restarted reconciler reads the agents and converges. Exit status 2 on usage or start-up errors.
        """
    )
    @OptionGroup var repository: RepositoryFlags
    @Option(help: "Seconds between polls (5, 5s, 500ms, 1m).")
    var interval: String = "5s"
    @Option(help: "Address of /status, /metrics, /healthz and /hooks/git: HOST:PORT or :PORT (127.0.0.1); port 0 picks one.")
    var listen: String = "127.0.0.1:15200"
    @OptionGroup var push: PushFlags
    @OptionGroup var webhook: WebhookFlags
    @OptionGroup var identity: IdentityFlags
    @OptionGroup var limits: InputLimitFlags
    @OptionGroup var logging: LoggingFlags

    func validate() throws {
        if repository.repo == nil { throw ValidationError("--repo is required: the repository to follow") }
        _ = try ListenAddress(parsing: listen)
        guard let seconds = Self.seconds(interval), seconds > 0 else {
            throw ValidationError("--interval '\(interval)': give a duration such as 5s, 500ms or 1m")
        }
        _ = seconds
    }

    /// `5`, `5s`, `500ms`, `1m` in seconds.
    static func seconds(_ text: String) -> Double? {
        if text.hasSuffix("ms") { return Double(text.dropLast(2)).map { $0 / 1000 } }
        if text.hasSuffix("s") { return Double(text.dropLast()) }
        if text.hasSuffix("m") { return Double(text.dropLast()).map { $0 * 60 } }
        return Double(text)
    }

    func run() async throws {
        let token = try push.token(command: "reconcile")
        let webhookAuth = try webhook.auth(command: "reconcile", token: token)
        let address = try ListenAddress(parsing: listen)
        let source: GitSource
        do { source = try repository.source()! } catch {
            FileHandleOutput.standardError("meshc reconcile: \(error)")
            throw ExitCode(2)
        }
        logging.bootstrap()
        let logger = Logger(label: "meshc.reconcile")
        let client = AgentFleet.makeClient()
        let metrics = ReconcileMetrics()
        // With a CA: mTLS to every agent (the reconciler's own certificate first), then issuance each round.
        let issuer = identity.issuer { logger.warning("\($0)") }
        let security = issuer.map { FleetSecurity(trustDomain: $0.trustDomain) }
        if let issuer, let security { security.refresh(issuer) }
        let fleet = AgentFleet(token: token, client: client, security: security)
        let round = ApplyRound(fleet: fleet, parallel: push.parallel)
        let issuance = issuer.map {
            IdentityRound(fleet: fleet, issuer: $0, parallel: push.parallel, recheck: identity.recheckSeconds,
                          renewalPoint: identity.renewalPoint, security: security)
        }
        if let issuance {
            logger.info("issuing certificates", metadata: ["trustDomain": "\(issuance.issuer.trustDomain)", "ttl": "\(CertificateTTL.format(issuance.issuer.ttl))"])
        }
        var lint = LintOptions()
        lint.limits = limits.limits
        let reconciler = Reconciler(source: source, pipeline: Pipeline(options: repository.compileOptions, lint: lint, useEmitCache: true), round: round, identity: issuance,
                                    settings: .init(interval: Self.seconds(interval) ?? 5, logger: logger), metrics: metrics)
        let app = ReconcileServer.application(reconciler: reconciler, metrics: metrics, webhook: webhookAuth,
                                              host: address.host, port: address.port, logger: logger) { port in
            var bound = address
            bound.port = port
            FileHandleOutput.standardError("meshc reconcile: listening on \(bound)")
        }
        let loop = Task { await reconciler.run() }
        var failure: Error?
        do { try await app.runService() } catch { failure = ListenFailure(error, address: address) ?? error }
        // SIGTERM/SIGINT ended the server: stop the loop (an in-flight PUT is abandoned).
        loop.cancel()
        // Whatever hangs (a push to a stuck agent) gets 5 s; then exit 0 anyway.
        Task.detached {
            try? await Task.sleep(nanoseconds: 5_000_000_000)
            Foundation.exit(0)
        }
        await loop.value
        try? await client.shutdown()
        if let failure {
            FileHandleOutput.standardError("meshc reconcile: \(failure)")
            throw ExitCode(2)
        }
    }
}
