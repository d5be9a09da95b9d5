import Dispatch
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import MeshIdentity
import NIOCore
import NIOSSL
import Synchronization

/// The agent's API once it takes part in mesh identity (`--enroll-token-file`
/// given, or a certificate held):
///
/// - **enrolling** (no certificate yet): plain HTTP, and only `/healthz`,
///   `GET /v1/state`, `POST /v1/csr` and `PUT /v1/certificate`, without the
///   bearer token (the reconciler cannot verify this agent yet, so it sends
///   no credential); the install must carry the enrollment MAC. Anything else: 403.
/// - **mTLS** (a certificate held): TLS 1.3 with the proxy's certificate
///   (the current one at each handshake: rotation needs no restart), and a
///   client certificate required whose only URI SAN is
///   `spiffe://<td>/meshc/reconciler`, chaining to the mesh root; the bearer
///   token stays a second factor. Every route.
///
/// An agent without either keeps today's plain HTTP API with the bearer token,
/// and has no identity routes.
extension AgentServer {
    /// Serves until SIGTERM or SIGINT: the plain API, or (identity) enrolling then mTLS on the same address.
    package static func serve(agent: Agent, token: String, identity: AgentIdentity, host: String, port: Int, limits: ServerLimits,
                              logger: Logger, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let holds = await identity.credentials() != nil
        guard identity.enrolled || holds else {
            // No identity API at all: a bearer-token holder must not plant a trust anchor here.
            try await application(agent: agent, token: token, host: host, port: port, limits: limits, identity: nil,
                                  logger: logger, onListening: onListening).runService()
            return
        }
        let control = ServeControl(port: port)
        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { control.stop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        // A port picked by the system (0) is kept when the API moves to mTLS.
        let listening: @Sendable (Int) -> Void = { actual in control.state.withLock { $0.port = actual }; onListening(actual) }
        while !control.stopped {
            let port = control.state.withLock { $0.port }
            let task: Task<Void, Error>
            if await identity.credentials() != nil {
                let app = try await tlsApplication(agent: agent, token: token, identity: identity, host: host, port: port, limits: limits,
                                                   logger: logger, onListening: listening)
                task = Task { try await app.run() }
                logger.info("serving the API over mTLS")
            } else {
                let app = enrollmentApplication(agent: agent, identity: identity, host: host, port: port, limits: limits, logger: logger,
                                                onInstalled: {
                                                    // Let the answer go out, then move to mTLS.
                                                    Task {
                                                        try? await Task.sleep(nanoseconds: 100_000_000)
                                                        control.restart()
                                                    }
                                                }, onListening: listening)
                task = Task { try await app.run() }
                logger.info("enrolling: plain HTTP for the certificate only, until the reconciler installs one")
            }
            control.state.withLock { $0.task = task }
            if control.stopped { task.cancel() }
            do { try await task.value } catch is CancellationError {}
        }
    }

    /// The serving loop's shared state: the task serving now, whether a signal came, the bound port.
    final class ServeControl: Sendable {
        let state: Mutex<(task: Task<Void, Error>?, stopped: Bool, port: Int)>
        init(port: Int) { state = Mutex((nil, false, port)) }
        var stopped: Bool { state.withLock { $0.stopped } }
        /// A signal: end the serving task and the loop.
        func stop() { state.withLock { $0.stopped = true; $0.task?.cancel() } }
        /// End the serving task; the loop starts the next mode.
        func restart() { state.withLock { $0.task?.cancel() } }
    }

    /// Plain HTTP for enrollment only (see the extension's comment).
    static func enrollmentApplication(agent: Agent, identity: AgentIdentity, host: String, port: Int, limits: ServerLimits, logger: Logger,
                                      onInstalled: @escaping @Sendable () -> Void,
                                      onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let connections = ConnectionGuard(limits: limits, logger: logger)
        let router = Router()
        router.add(middleware: EnrollmentGate())
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/v1/state") { _, _ in
            var state = await agent.state()
            state.certificate = await identity.certificate()
            return Self.json(.ok, state.jsonText, etag: state.snapshotVersion)
        }
        addIdentityRoutes(router, identity: identity, enrolling: true, onInstalled: onInstalled)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [connections.handler()], idleTimeout: TimeAmount(limits.idleTimeout))),
            configuration: .init(address: .hostname(host, port: port), serverName: nil, backlog: limits.backlog, reuseAddress: true),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// The whole API over mTLS (see the extension's comment).
    static func tlsApplication(agent: Agent, token: String, identity: AgentIdentity, host: String, port: Int, limits: ServerLimits,
                               logger: Logger, onListening: @escaping @Sendable (Int) -> Void) async throws -> some ApplicationProtocol {
        guard let credentials = await identity.credentials() else { throw AgentIOError("no certificate to serve mTLS with") }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(credentials.chainPEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(credentials.keyPEM.utf8), format: .pem)))
        tls.minimumTLSVersion = .tlsv13
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(credentials.rootPEM.utf8)))
        // The certificate held now, at every handshake: a renewal is served at once.
        tls.sslContextCallback = { _, promise in
            promise.completeWithTask {
                var override = NIOSSLContextConfigurationOverride()
                if let now = await identity.credentials() {
                    override.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(now.chainPEM.utf8)).map { .certificate($0) }
                    override.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(now.keyPEM.utf8), format: .pem))
                }
                return override
            }
        }
        let verification = TLSChannelConfiguration(tlsConfiguration: tls) { certificates in
            guard let now = await identity.credentials(), let domain = await identity.trustDomain() else { return .failed }
            let chain = certificates.compactMap { try? $0.toDERBytes() }
            if let problem = await PeerCertificate.problem(chain: chain, rootPEM: now.rootPEM, identity: .reconciler(domain)) {
                logger.warning("refused a TLS client: it \(problem); only \(SPIFFEID.reconciler(domain)) may call")
                return .failed
            }
            return .certificateVerified
        }
        let connections = ConnectionGuard(limits: limits, logger: logger)
        let router = Router()
        router.add(middleware: BearerAuthentication(token: token))
        addRoutes(router, agent: agent, limits: limits, identity: identity)
        return Application(
            router: router,
            server: try .tls(.http1(configuration: .init(additionalChannelHandlers: [connections.handler()], idleTimeout: TimeAmount(limits.idleTimeout))),
                             configuration: verification),
            configuration: .init(address: .hostname(host, port: port), serverName: nil, backlog: limits.backlog, reuseAddress: true),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

/// An enrolling agent's gate: the enrollment routes pass without a bearer token, the rest get 403.
struct EnrollmentGate<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch (request.method, request.uri.path) {
        case (.get, "/healthz"), (.get, "/v1/state"), (.post, "/v1/csr"), (.put, "/v1/certificate"):
            return try await next(request, context)
        default:
            return AgentServer.error(.forbidden, "enrolling",
                                     "this agent has no certificate yet: only /healthz, GET /v1/state, POST /v1/csr and PUT /v1/certificate are served until the reconciler (--ca-dir) installs one; then the API is served over mTLS")
        }
    }
}
