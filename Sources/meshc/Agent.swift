import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import MeshAgent
import NIOCore

/// `meshc agent`: runs beside one Envoy, as Istio's pilot-agent does.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run and supervise one Envoy and apply snapshots to it over an HTTP API.",
        discussion: """
        Writes Envoy's bootstrap into --state-dir (node id = --proxy, admin on \
        127.0.0.1:--admin-port, CDS and LDS from files in the same folder), starts Envoy \
        and restarts it with backoff when it dies. PUT /v1/snapshot applies a bundle \
        after the snapshot policy and `envoy --mode validate` of what it brings (422 when \
        refused, nothing written; the policy refuses extension types meshc does not emit \
        unless --allow-extension names them, files outside the state folder's certs/ and \
        logs/ or an --allow-file-root, environment-variable data sources, run-time config \
        sources, unix sockets, and loopback addresses on the admin or agent port), \
        make-before-break (clusters, routes, listeners, then removals), reading each \
        step back from Envoy's admin API; a rejected bundle is rolled back and reported \
        (HTTP 422). API: GET /healthz, GET /v1/state, GET /v1/snapshot, PUT /v1/snapshot \
        (If-Match: <snapshotVersion> or *, If-None-Match: * for the first), POST /v1/csr (a CSR \
        for the identity the reconciler names, with a key made here that never leaves the host) and \
        PUT /v1/certificate (the signed chain; the agent writes Envoy's SDS files in certs/); every path \
        but /healthz needs Authorization: Bearer <the --token-file content>. With --enroll-token-file (or \
        once it holds a certificate) the agent takes part in mesh identity: until the reconciler installs \
        its first certificate it serves plain HTTP for /healthz, GET /v1/state, POST /v1/csr and \
        PUT /v1/certificate only, without the token; from then on the whole API over mTLS with that \
        certificate, requiring the reconciler's (spiffe://<td>/meshc/reconciler), the token as a second factor. \
        Once listening, standard error gets "meshc agent: listening on HOST:PORT". \
        SIGTERM or SIGINT stops Envoy and exits 0. Exit status 2 on usage or start-up errors.
        """
    )

    @Option(help: "The proxy's name: Envoy's node id; bundles must name it.")
    var proxy: String

    @Option(name: .customLong("state-dir"), help: "Folder the agent owns: bootstrap, xDS files, the applied bundle, Envoy's log.")
    var stateDir: String

    @Option(name: .customLong("admin-port"), help: "Envoy's admin port (on 127.0.0.1 only).")
    var adminPort: Int

    @Option(help: "Address of the agent's API: HOST:PORT or :PORT (127.0.0.1); port 0 picks one.")
    var listen: String = "127.0.0.1:15100"

    @Option(name: .customLong("token-file"), help: "File holding the bearer token the API requires.")
    var tokenFile: String

    @Option(help: "The Envoy binary (default: $MESHC_ENVOY, else envoy on PATH; never one in the current folder).")
    var envoy: String?

    @Option(help: "Envoy's --concurrency (default: Envoy's own, one worker per core).")
    var concurrency: Int?

    @Option(name: .customLong("envoy-user"), help: ArgumentHelp(
        "The user Envoy runs as when the agent runs as root (default: nobody; root keeps Envoy root). The state folder becomes root:<its group> 0750, Envoy's files 0640; the folders above it must let that user through.",
        valueName: "NAME"))
    var envoyUser: String?

    @Option(name: .customLong("validation-cache"), help: "Folder of envoy --mode validate verdicts shared by the agents on this host, so a change pushed to several proxies is validated once (created 0700).")
    var validationCache: String?

    @Option(name: .customLong("allow-extension"), help: ArgumentHelp(
        "An Envoy extension type URL snapshots may use beside meshc's own (repeatable).",
        valueName: "TYPE_URL"))
    var allowExtension: [String] = []

    @Option(name: .customLong("allow-file-root"), help: ArgumentHelp(
        "A folder whose files snapshots may name, beside the state folder's certs/ and logs/ (repeatable).",
        valueName: "DIR"))
    var allowFileRoot: [String] = []

    @Option(name: .customLong("enroll-token-file"), help: ArgumentHelp(
        "File (mode 600) holding the one-time enrollment token `meshc ca enroll --proxy NAME` printed: it proves the agent's first CSR to the reconciler's CA. Later CSRs are proved by the current certificate.",
        valueName: "FILE"))
    var enrollTokenFile: String?

    @Option(name: .customLong("route-format"), help: ArgumentHelp(
        "How route configurations are written for Envoy: binary (protobuf .pb files, loaded about three times faster) or json.",
        valueName: "binary|json"))
    var routeFormat: RouteFormat = .binary

    @Flag(help: "Log every apply stage and how long Envoy took to confirm it.")
    var verbose = false

    @OptionGroup var logging: LoggingFlags

    @Option(name: .customLong("stats-listen"), help: ArgumentHelp("Serve Envoy's /stats/prometheus on HOST:PORT (Istio's 15090), reaching the admin on loopback; nothing else of the admin is served there.", valueName: "HOST:PORT"))
    var statsListen: String?

    @Option(name: .customLong("stats-tag"), help: ArgumentHelp("A fixed tag on every Envoy stat, like source_namespace=shop or source_app=web (repeatable; proxy=<--proxy> is always set).", valueName: "KEY=VALUE"))
    var statsTag: [String] = []

    @Option(name: .customLong("max-watched-files"), help: ArgumentHelp(
        "The most files this proxy's Envoy may watch (CDS, LDS, each route configuration and secret: an inotify instance each); a snapshot over it is refused. Whatever it is, a snapshot needing more instances than Envoy's user has free is refused (Envoy aborts without one).",
        valueName: "N"))
    var maxWatchedFiles: Int?

    @Option(name: .customLong("max-connections"), help: "API connections kept open; at the cap a new one closes the one idle longest without a request (lowered to fit the open-file limit).")
    var maxConnections = ServerLimits().maxConnections

    @Option(name: .customLong("header-timeout"), help: "Seconds a new API connection has to send a complete request head.")
    var headerTimeout = 10.0

    @Option(name: .customLong("idle-timeout"), help: "Seconds a kept-alive API connection may wait for its next request.")
    var idleTimeout = 75.0

    func validate() throws {
        _ = try ListenAddress(parsing: listen)
        if adminPort <= 0 || adminPort > 65535 { throw ValidationError("--admin-port must be a port number") }
        if proxy.isEmpty { throw ValidationError("--proxy must not be empty") }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if let maxWatchedFiles, maxWatchedFiles < 2 { throw ValidationError("--max-watched-files must be at least 2 (CDS and LDS)") }
        if !(headerTimeout > 0 && idleTimeout > 0) { throw ValidationError("--header-timeout and --idle-timeout must be positive seconds") }
    }

    func run() async throws {
        let fileLimit = ServerLimits.raiseFileLimit() // room for connections up to the cap
        var limits = ServerLimits()
        limits.maxConnections = maxConnections
        limits.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
        limits.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        limits = limits.fitting(fileLimit: fileLimit)
        let address = try ListenAddress(parsing: listen)
        let token: String
        do {
            token = try TokenFile.read(tokenFile, purpose: "the bearer token the API requires") {
                FileHandleOutput.standardError("meshc agent: warning: \($0)")
            }
        } catch {
            FileHandleOutput.standardError("meshc agent: \(error)")
            throw ExitCode(2)
        }
        var enrollmentToken: String?
        if let enrollTokenFile {
            do {
                enrollmentToken = try TokenFile.read(enrollTokenFile, purpose: "the enrollment token", flag: "--enroll-token-file")
            } catch {
                FileHandleOutput.standardError("meshc agent: \(error)")
                throw ExitCode(2)
            }
        }
        guard let binary = envoy ?? EnvoyLocation.find() else {
            FileHandleOutput.standardError("meshc agent: \(EnvoyLocation.missing)")
            throw ExitCode(2)
        }
        var configuration = AgentConfiguration(proxy: proxy, stateDirectory: stateDir, adminPort: adminPort, envoy: binary, concurrency: concurrency)
        configuration.envoyUser = envoyUser
        configuration.routeFormat = routeFormat
        configuration.maxWatchedFiles = maxWatchedFiles
        configuration.statsTags = try statsTag.map { pair in
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex,
                  pair[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ValidationError("--stats-tag '\(pair)': expected KEY=VALUE with a key of letters, digits and _")
            }
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
        if let statsListen {
            let stats = try ListenAddress(parsing: statsListen)
            configuration.statsAddress = (stats.host, stats.port)
        }
        configuration.validator = EnvoyValidator(envoy: binary, sharedFolder: validationCache, prewarm: true)
        // A bare message name (`envoy.extensions.filters.http.lua.v3.Lua`) means its type URL.
        configuration.policy.allowExtensions.formUnion(allowExtension.map { $0.contains("/") ? $0 : "type.googleapis.com/" + $0 })
        configuration.policy.fileRoots += allowFileRoot.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        configuration.policy.agentPort = address.port == 0 ? nil : address.port
        do {
            try await Self.serve(configuration, token: token, enrollmentToken: enrollmentToken, address: address, limits: limits, verbose: verbose,
                                 logging: logging)
        } catch {
            FileHandleOutput.standardError("meshc agent: \(error)")
            throw ExitCode(2)
        }
    }

    private static func serve(_ configuration: AgentConfiguration, token: String, enrollmentToken: String?, address: ListenAddress,
                              limits: ServerLimits, verbose: Bool, logging: LoggingFlags) async throws {
        logging.bootstrap(verbose: verbose)
        let logger = Logger(label: "meshc.agent")
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let agent = Agent(configuration, client: client, logger: logger)
        do {
            try await agent.start()
            // After start: the state folder's certs/ is open to Envoy's group by then.
            let identity = AgentIdentity(stateDirectory: configuration.stateDirectory, group: try EnvoyUser.forAgent(configuration.envoyUser)?.gid,
                                         enrollmentToken: enrollmentToken, logger: logger)
            // Plain HTTP as before, or (with an enrollment token or a certificate) enrolling, then mTLS.
            do {
                try await AgentServer.serve(agent: agent, token: token, identity: identity, host: address.host, port: address.port,
                                            limits: limits, logger: logger) { port in
                    var bound = address
                    bound.port = port
                    FileHandleOutput.standardError("meshc agent: listening on \(bound)")
                }
            } catch {
                throw ListenFailure(error, address: address) ?? error
            }
        } catch {
            await agent.stop()
            try? await client.shutdown()
            throw error
        }
        await agent.stop()
        try? await client.shutdown()
    }
}

/// A server that could not bind its `--listen` address: the address, why,
/// and what to do, instead of the socket call's own words.
struct ListenFailure: Error, CustomStringConvertible {
    var description: String

    /// Nil when `error` is not a failure to bind `address`.
    init?(_ error: Error, address: ListenAddress, flag: String = "--listen") {
        guard let io = error as? IOError else { return nil }
        switch io.errnoCode {
        case EADDRINUSE: description = "cannot listen on \(address) (\(flag)): address already in use; stop what listens there or give another \(flag)"
        case EADDRNOTAVAIL: description = "cannot listen on \(address) (\(flag)): no interface of this host has that address; give one it has, or 0.0.0.0"
        case EACCES: description = "cannot listen on \(address) (\(flag)): permission denied; ports below 1024 need root, give a higher port"
        default: return nil
        }
    }
}

extension RouteFormat: ExpressibleByArgument {}
