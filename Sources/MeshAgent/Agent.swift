import AsyncHTTPClient
import Foundation
import Logging
import MeshDiagnostics
import MeshSnapshot

/// Settings of one agent (the `meshc agent` options).
package struct AgentConfiguration: Sendable {
    /// The proxy's name: Envoy's node id, and the `proxy` every bundle must carry.
    package var proxy: String
    /// The state folder the agent owns (see `DeliveryLayout`).
    package var stateDirectory: String
    /// Envoy's admin port on 127.0.0.1.
    package var adminPort: Int
    /// Where Envoy serves `/stats/prometheus` (Istio's 15090); nil: only on the admin.
    package var statsAddress: (host: String, port: Int)?
    /// Fixed tags on every stat besides `proxy` (`source_namespace`, `source_app`…).
    package var statsTags: [(name: String, value: String)] = []
    /// The Envoy binary.
    package var envoy: String
    /// Envoy's `--concurrency`, or nil for Envoy's default.
    package var concurrency: Int?
    /// The user Envoy runs as when the agent runs as root (nil: `nobody`;
    /// `root` keeps Envoy root); see `EnvoyUser`. Ignored otherwise.
    package var envoyUser: String?
    /// How long Envoy gets to confirm one stage of an apply.
    package var stageTimeout: Double = 10
    /// How route configurations are written for Envoy (`--route-format`).
    package var routeFormat: RouteFormat = .binary
    /// The most files this proxy's Envoy may watch (`--max-watched-files`,
    /// an inotify instance each; `WatchCheck`), whatever the host has free; nil: no budget of its own.
    package var maxWatchedFiles: Int?
    /// Checks what a snapshot brings with `envoy --mode validate` before
    /// anything is written; nil skips the check (tests of the apply itself).
    package var validator: EnvoyValidator?
    /// What every snapshot is checked against before anything is written
    /// (422 `invalid` naming the field); always on. The default allows
    /// meshc's own extensions, files under the state folder's `certs` and
    /// `logs`, and no loopback address on `adminPort`; `meshc agent` adds
    /// its flags and its own port.
    package var policy: SnapshotPolicy

    /// Settings with the default stage timeout (10 s) and the default policy.
    package init(proxy: String, stateDirectory: String, adminPort: Int, envoy: String, concurrency: Int? = nil) {
        self.proxy = proxy
        self.stateDirectory = stateDirectory
        self.adminPort = adminPort
        self.envoy = envoy
        self.concurrency = concurrency
        self.policy = SnapshotPolicy(fileRoots: SnapshotPolicy.stateRoots(stateDirectory), adminPort: adminPort)
    }
}

/// The agent beside one Envoy: writes its bootstrap, supervises it, applies
/// snapshots make-before-break (`ApplySequence` decides, this type does the
/// I/O) and answers for its state. One apply at a time; the `If-Match`
/// precondition is checked inside that turn, so two writers cannot lose each other's update.
package actor Agent {
    /// The outcome of `put`, as `AgentServer` turns it into HTTP.
    package enum PutResult: Sendable {
        case applied(AgentState)
        /// The precondition named another version than the applied one.
        case stale(current: String?)
        /// No `If-Match` or `If-None-Match` header.
        case preconditionRequired
        case rejected(reason: String, state: AgentState)
        case malformed(String)
        /// Envoy was not ready within the wait.
        case unavailable(String)
        /// `envoy --mode validate` refused what the snapshot brings; nothing was written.
        case invalid(String)
    }

    /// The precondition a writer sends.
    package enum Precondition: Sendable, Equatable {
        /// `If-Match: *`: whatever is applied.
        case any
        /// `If-Match: <version>`: only over this snapshot version.
        case version(String)
        /// `If-None-Match: *`: only while no snapshot has been applied.
        case none
    }

    private let configuration: AgentConfiguration
    private let layout: DeliveryLayout
    private let admin: EnvoyAdmin
    private let supervisor: EnvoySupervisor
    private let log: EnvoyLog
    private let logger: Logger
    private var applied: ProxySnapshot?
    private var lastRejection: AgentState.Rejection?
    /// Envoy's state when the last apply was confirmed (`ApplySequence.settled`:
    /// a route stage confirmed on versions alone carries its baseline's
    /// counters), with Envoy's restart count then: the next apply's baseline
    /// while Envoy has not restarted, instead
    /// of a read on the critical path (two `/stats` walks of Envoy's main
    /// thread). Only this agent writes Envoy's files, under its lock; a
    /// repair forgets it. A baseline older than Envoy's counters can only
    /// make a change look refused (undone, reported), never accepted: that
    /// takes the new versions, which only the write brings.
    private var settled: (readout: EnvoyReadout, restarts: Int)?
    /// `GET /metrics`.
    package nonisolated let metrics = AgentMetrics()
    private var busy = false
    /// The group of the user Envoy runs as (root agents): every delivery file is written readable to it.
    private var envoyGroup: gid_t?
    /// The user Envoy runs as (whose inotify instances `WatchCheck` counts).
    private var envoyUID = geteuid()
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// Resources (`policyKey`) this process's policy passed: a delta's kept
    /// resources are not walked again. Not persisted: after a restart the
    /// first delta checks everything, under the policy the agent runs now.
    private var policyPassed = Set<String>()
    /// Whether every resource of `applied` passed the policy in this process
    /// (it came through `deliver`): a delta's kept resources are then not
    /// looked up one by one. False for a snapshot read back at start.
    private var appliedPassedPolicy = false
    /// The clusters each applied virtual host names, so a delta's kept hosts are not parsed again.
    private let hostClusters = SnapshotDelta.HostClusters()

    private static func policyKey(_ resource: EnvoyResource) -> String { "\(resource.kind.member)/\(resource.version)/\(resource.name)" }

    /// An agent that has not started Envoy yet (`start()` does); `client` reaches Envoy's admin API.
    package init(_ configuration: AgentConfiguration, client: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.layout = DeliveryLayout(folder: URL(fileURLWithPath: configuration.stateDirectory).standardizedFileURL.path,
                                     routeFormat: configuration.routeFormat)
        self.admin = EnvoyAdmin(port: configuration.adminPort, client: client)
        // Access logs (Telemetry) reach their file within a second, not Envoy's default ten.
        var arguments = ["-c", layout.path(DeliveryLayout.bootstrap), "--disable-hot-restart",
                         "--reject-unknown-dynamic-fields", "--log-level", "warn", "--file-flush-interval-msec", "1000"]
        if let concurrency = configuration.concurrency { arguments += ["--concurrency", String(concurrency)] }
        self.supervisor = EnvoySupervisor(executable: configuration.envoy, arguments: arguments,
                                          logPath: layout.path(DeliveryLayout.envoyLog), pidPath: layout.path(DeliveryLayout.envoyPid))
        self.log = EnvoyLog(path: layout.path(DeliveryLayout.envoyLog))
        self.logger = logger
    }

    /// Writes the bootstrap and the last applied config (or an empty one),
    /// starts Envoy and waits up to `readySeconds` for it to be ready. As
    /// root, Envoy runs as `envoyUser` with the state folder opened to it
    /// (`DeliveryLayout.grant(to:)`).
    package func start(readySeconds: Double = 15) async throws {
        let user = try EnvoyUser.forAgent(configuration.envoyUser)
        if geteuid() != 0, let name = configuration.envoyUser {
            logger.warning("--envoy-user \(name) has no effect: the agent does not run as root, and Envoy runs as the agent does")
        } else if geteuid() == 0, user == nil {
            logger.warning("Envoy runs as root (--envoy-user \(configuration.envoyUser ?? "root")): a flaw in Envoy is then a root compromise")
        }
        if let user, configuration.envoy.contains("/"), let problem = user.problem(reaching: configuration.envoy, execute: true) {
            throw AgentIOError(problem)
        }
        try FileManager.default.createDirectory(atPath: layout.folder, withIntermediateDirectories: true)
        if let data = FileManager.default.contents(atPath: layout.path(DeliveryLayout.applied)) {
            do { applied = try ProxySnapshot(bundle: data) } catch {
                logger.warning("ignoring \(DeliveryLayout.applied): \(error)")
            }
        }
        try? FileManager.default.removeItem(atPath: layout.path("routes"))
        try? FileManager.default.removeItem(atPath: layout.path("secrets"))
        if let user { try layout.grant(to: user) }
        envoyGroup = user?.gid
        envoyUID = user?.uid ?? geteuid()
        if let last = applied, let problem = WatchCheck.problem(from: nil, to: last, uid: envoyUID, budget: configuration.maxWatchedFiles) {
            logger.error("the last applied snapshot \(last.version) may stop Envoy from starting: \(problem); \(WatchCheck.fix)")
        }
        try AtomicFile.write(layout.bootstrap(proxy: configuration.proxy, adminPort: configuration.adminPort, stats: configuration.statsAddress,
                                              statsTags: configuration.statsTags),
                             to: layout.path(DeliveryLayout.bootstrap), group: user?.gid)
        for file in layout.allFiles(applied ?? .empty(proxy: configuration.proxy)) {
            try AtomicFile.write(bytes: file.bytes, to: layout.path(file.path), group: user?.gid)
        }
        try supervisor.start(as: user)
        if configuration.validator?.prewarm == true { EnvoyValidator.endOrphans() }
        configuration.validator?.warmUp()
        if await !waitReady(seconds: readySeconds) {
            logger.warning("Envoy is not ready after \(readySeconds) s; see \(layout.path(DeliveryLayout.envoyLog))")
        }
    }

    /// Stops Envoy (SIGTERM, then SIGKILL after 5 s).
    package func stop() {
        configuration.validator?.shutdown()
        supervisor.stop()
    }

    /// The state `GET /v1/state` shows.
    package func state() async -> AgentState {
        let status = supervisor.status
        let ready = status.pid != nil ? await admin.ready() : false
        let bundle = applied
        var resources: [AgentState.Resource] = []
        for kind in EnvoyKind.allCases {
            for resource in bundle?[kind] ?? [] {
                resources.append(AgentState.Resource(type: kind.member, name: resource.name, version: resource.version))
            }
        }
        return AgentState(proxy: configuration.proxy, snapshotVersion: bundle?.version, resources: resources,
                          envoy: AgentState.Envoy(ready: ready, pid: status.pid.map(Int.init), restarts: status.restarts),
                          lastRejection: lastRejection, drift: ready && !busy ? await drift() : [])
    }

    /// Where Envoy does not serve the applied snapshot (see `Drift`); empty before the first.
    private func drift() async -> [String] {
        guard applied != nil else { return [] }
        return drift(in: try? await admin.readout(.listeners))
    }

    /// `drift()` against a listener readout already taken (nil: files only).
    private func drift(in readout: EnvoyReadout?) -> [String] {
        guard let applied else { return [] }
        return Drift.files(applied, layout: layout) + (readout.map { Drift.listeners(applied, readout: $0) } ?? [])
    }

    /// A push of the version already applied: puts every delivery file back
    /// and waits for Envoy to hold every listener active again, when it drifted.
    private func repair(_ snapshot: ProxySnapshot) async -> PutResult {
        settled = nil
        let initial = try? await admin.readout(.listeners)
        let before = drift(in: initial)
        guard !before.isEmpty else { return .applied(await state()) }
        logger.warning("repairing \(snapshot.version): \(before.joined(separator: "; "))")
        let errorsBefore = initial?.listenerErrors ?? [:]
        do {
            for file in layout.allFiles(snapshot) { try AtomicFile.write(bytes: file.bytes, to: layout.path(file.path), group: envoyGroup) }
        } catch {
            return .rejected(reason: "cannot put the delivery files back: \(error)", state: await state())
        }
        let deadline = Date().addingTimeInterval(configuration.stageTimeout)
        var remaining = before
        while Date() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
            // One listener readout per pass serves both the drift check and the early stop.
            let readout = try? await admin.readout(.listeners)
            remaining = drift(in: readout)
            if remaining.isEmpty {
                logger.info("repaired \(snapshot.version)")
                return .applied(await state())
            }
            // Envoy tried the listeners again and failed again (a port still taken): no use waiting.
            if let readout,
               readout.listenerErrors.contains(where: { errorsBefore[$0.key] != $0.value && readout.activeListeners[$0.key] == nil }) {
                break
            }
        }
        let reason = "drift remains after a repair: \(remaining.joined(separator: "; "))"
        lastRejection = AgentState.Rejection(version: snapshot.version, reason: Bounded.text(reason, Bounded.reason),
                                             time: ISO8601DateFormatter().string(from: Date()))
        return .rejected(reason: reason, state: await state())
    }

    /// The last applied snapshot (`GET /v1/snapshot`), or nil before the first.
    package func appliedSnapshot() -> ProxySnapshot? { applied }

    /// Applies `body` (a bundle) if `precondition` holds for the applied version.
    package func put(_ body: Data, precondition: Precondition?) async -> PutResult {
        let received = Date()
        let bundle: ProxySnapshot
        do { bundle = try ProxySnapshot(bundle: body) } catch {
            metrics.refused("malformed")
            return .malformed(error.description)
        }
        return await deliver(bundle, checking: bundle.resources, passing: bundle.resources.values.flatMap { $0.map(Self.policyKey) },
                             precondition: precondition, received: received, delta: false)
    }

    /// Applies `body` (a `SnapshotDelta` over the applied snapshot, named by
    /// `If-Match: <version>`): the agent parses and checks only the resources
    /// it carries, then treats the whole snapshot as `put` does.
    package func patch(_ body: Data, precondition: Precondition?) async -> PutResult {
        let received = Date()
        guard case .version(let base)? = precondition else {
            return precondition == nil ? .preconditionRequired
                : .malformed("a delta is over one snapshot: send If-Match: <snapshotVersion>, or PUT the whole bundle")
        }
        guard let current = applied, current.version == base else { return .stale(current: applied?.version) }
        let delta: SnapshotDelta.Applied
        do { delta = try SnapshotDelta.apply(body, to: current, hostClusters: hostClusters) } catch {
            metrics.refused("malformed")
            return .malformed(error.description)
        }
        // What passed the policy in this process needs no second walk; everything else the delta names does.
        // What the delta kept is the applied snapshot's: when all of that passed here, only what it carried is
        // looked at (36,000 keys not made for the 10k sidecar's delta). Of a route configuration whose applied
        // version passed, only what the delta brought (its fields, new hosts).
        var checking: [EnvoyKind: [EnvoyResource]] = [:], passing: [String] = []
        for (kind, resources) in appliedPassedPolicy ? delta.carried : delta.snapshot.resources {
            for resource in resources {
                let key = Self.policyKey(resource)
                guard !policyPassed.contains(key) else { continue }
                passing.append(key)
                if kind == .route, let brought = delta.brought[resource.name], let running = current.resource(.route, named: resource.name),
                   appliedPassedPolicy || policyPassed.contains(Self.policyKey(running)) {
                    checking[kind, default: []].append(brought)
                } else {
                    checking[kind, default: []].append(resource)
                }
            }
        }
        return await deliver(delta.snapshot, checking: checking, passing: passing, precondition: precondition, received: received, delta: true)
    }

    /// The rest of `put` and `patch`: the bundle is whole, `checking` what
    /// the policy walks, `passing` the resources (`policyKey`) it passes then.
    private func deliver(_ bundle: ProxySnapshot, checking: [EnvoyKind: [EnvoyResource]], passing: [String], precondition: Precondition?,
                         received: Date, delta: Bool) async -> PutResult {
        guard bundle.proxy == configuration.proxy else {
            metrics.refused("malformed")
            return .malformed("the bundle is for proxy \(bundle.proxy); this agent runs \(configuration.proxy)")
        }
        let decoded = Date()
        let violations = configuration.policy.violations(in: checking)
        guard violations.isEmpty else {
            let reason = SnapshotPolicy.reason(violations)
            logger.warning("refused \(bundle.version): \(reason)")
            metrics.refused("invalid")
            return .invalid(reason)
        }
        if let problem = layout.unwritableRoute(in: bundle, over: applied) {
            logger.warning("refused \(bundle.version): \(problem)")
            metrics.refused("invalid")
            return .invalid(problem)
        }
        if policyPassed.count > 200_000 { policyPassed.removeAll(keepingCapacity: true) }
        policyPassed.formUnion(passing)
        guard let precondition else { return .preconditionRequired }
        await acquire()
        defer { release() }
        switch precondition {
        case .any: break
        case .none: if applied != nil { return .stale(current: applied?.version) }
        case .version(let version): if version != applied?.version { return .stale(current: applied?.version) }
        }
        guard await waitReady(seconds: 10) else { return .unavailable("Envoy is not ready (restarts so far: \(supervisor.status.restarts))") }
        if let current = applied, current.version == bundle.version { return await repair(current) }
        let started = Date()
        let checks = Int(started.timeIntervalSince(decoded) * 1000)
        if let refusal = checkCredentials(bundle) { return refusal }
        // Envoy validates while the stages are planned (their files encoded) and the first
        // stage's baseline is read: nothing else writes Envoy's files under the lock.
        let validator = configuration.validator
        let bootstrap = validator == nil ? nil : ValidationBootstrap.text(from: applied, to: bundle)
        async let verdict: String? = { if let validator, let bootstrap { await validator.validate(bootstrap) } else { nil } }()
        // The validation Envoy for the next change starts once this one is live, undone or refused.
        defer { validator?.warmUp() }
        var sequence = ApplySequence(from: applied ?? .empty(proxy: configuration.proxy), to: bundle, layout: layout)
        let planned = Date()
        let admin = self.admin, parts = sequence.parts
        let restarts = supervisor.status.restarts
        let kept = settled.flatMap { $0.restarts == restarts && $0.readout.parts.isSuperset(of: parts) ? $0.readout : nil }
        settled = nil
        async let early: EnvoyReadout? = { if let kept { kept } else { try? await admin.readout(parts) } }()
        if let verdict = await verdict {
            lastRejection = AgentState.Rejection(version: bundle.version, reason: "envoy --mode validate: \(verdict)",
                                                 time: ISO8601DateFormatter().string(from: Date()))
            logger.warning("invalid \(bundle.version): \(verdict)")
            metrics.refused("invalid")
            return .invalid(verdict)
        }
        let validated = Date()
        if let problem = PortCheck.problems(from: applied, to: bundle)
            ?? WatchCheck.problem(from: applied, to: bundle, uid: envoyUID, budget: configuration.maxWatchedFiles)
                .map({ "\($0); nothing was written: \(WatchCheck.fix)" }) {
            lastRejection = AgentState.Rejection(version: bundle.version, reason: problem, time: ISO8601DateFormatter().string(from: Date()))
            logger.warning("rejected \(bundle.version): \(problem)")
            metrics.refused("rejected")
            return .rejected(reason: problem, state: await state())
        }
        let baseline = await early
        logger.debug("ports checked and baseline \(kept == nil ? "read" : "kept from the last apply") \(Int(Date().timeIntervalSince(validated) * 1000)) ms after the validation")
        let (outcome, last) = await run(&sequence, baseline: baseline)
        switch outcome {
        case .applied:
            applied = bundle
            appliedPassedPolicy = true
            if let last, supervisor.status.restarts == restarts { settled = (last, restarts) }
            // Written as it is rendered: the megabytes never whole in memory.
            do {
                try AtomicFile.write(to: layout.path(DeliveryLayout.applied)) { file in
                    bundle.writeBundle(to: &file)
                    file.write("\n")
                }
            } catch {
                logger.error("cannot record the applied bundle: \(error)")
            }
            metrics.applied(seconds: Date().timeIntervalSince(started))
            logger.info("applied \(bundle.version)\(delta ? " from a delta" : "") in \(Int(Date().timeIntervalSince(started) * 1000)) ms (decode \(Int(decoded.timeIntervalSince(received) * 1000)) ms, policy and lock \(checks) ms before; plan \(Int(planned.timeIntervalSince(started) * 1000)) ms beside validate \(Int(validated.timeIntervalSince(started) * 1000)) ms; stages: \(sequence.stages.map(\.rawValue).joined(separator: ", ")))")
            return .applied(await state())
        case .rejected(let reason, let restoreProblem):
            var text = reason
            if let restoreProblem { text += "; putting the last good config back failed too: \(restoreProblem)" }
            lastRejection = AgentState.Rejection(version: bundle.version, reason: text, time: ISO8601DateFormatter().string(from: Date()))
            logger.warning("rejected \(bundle.version): \(text)")
            metrics.refused("rejected")
            return .rejected(reason: text, state: await state())
        }
    }

    /// The gateway credential files `bundle` names, read on this host
    /// (`GatewayCredentialCheck`): the refusal when one is missing, unreadable,
    /// expired or not the certificate's key; certificates ending soon are logged.
    private func checkCredentials(_ bundle: ProxySnapshot) -> PutResult? {
        let credentials = GatewayCredentialCheck.check(bundle, now: Date())
        for warning in credentials.warnings { logger.warning("\(bundle.version): \(warning)") }
        guard !credentials.refusals.isEmpty else { return nil }
        let reason = GatewayCredentialCheck.reason(credentials.refusals)
        lastRejection = AgentState.Rejection(version: bundle.version, reason: Bounded.text(reason, Bounded.reason),
                                             time: ISO8601DateFormatter().string(from: Date()))
        logger.warning("refused \(bundle.version): \(reason)")
        metrics.refused("credential")
        return .invalid(reason)
    }

    /// Carries out `sequence`'s actions until it finishes.
    /// `baseline`: a readout taken under the lock before anything was written, used for the first read.
    /// Returns the outcome and Envoy's state after the last confirmed stage, counters included (`ApplySequence.settled`).
    private func run(_ sequence: inout ApplySequence, baseline: EnvoyReadout? = nil) async -> (ApplySequence.Outcome, EnvoyReadout?) {
        var action = sequence.start()
        var prefetched = baseline
        var latest = EnvoyReadout()
        var deadline = Date().addingTimeInterval(configuration.stageTimeout)
        var stageStart = Date(), reads = 0
        while true {
            switch action {
            case .finished(let outcome):
                return (outcome, sequence.settled)
            case .write(let stage, let files, let removals):
                do {
                    let writing = Date()
                    for file in files { try AtomicFile.write(bytes: file.bytes, to: layout.path(file.path), group: envoyGroup) }
                    for path in removals { AtomicFile.remove(layout.path(path)) }
                    logger.debug("wrote \(stage.rawValue) (\(files.count) files, \(removals.count) removals) in \(Int(Date().timeIntervalSince(writing) * 1000)) ms, \(Int(writing.timeIntervalSince(stageStart) * 1000)) ms after the last answer")
                    stageStart = Date()
                    reads = 0
                    action = removals.isEmpty || !files.isEmpty ? .read : sequence.observe(latest)
                } catch {
                    action = sequence.failed(String(describing: error), readout: latest)
                }
                deadline = Date().addingTimeInterval(configuration.stageTimeout)
            case .read:
                var read = prefetched.take()
                if read == nil { read = try? await admin.readout(sequence.parts) }
                if var readout = read {
                    readout.loggedRejections = log.newRejections()
                    latest = readout
                    reads += 1
                    action = sequence.observe(readout)
                    if action != .read {
                        logger.debug("Envoy answered after \(Int(Date().timeIntervalSince(stageStart) * 1000)) ms, \(reads) reads")
                    }
                }
                if action == .read {
                    if Date() > deadline {
                        action = sequence.failed("Envoy did not confirm it within \(configuration.stageTimeout) s", readout: latest)
                    } else {
                        try? await Task.sleep(nanoseconds: 2_000_000)
                    }
                }
            }
        }
    }

    private func waitReady(seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if await admin.ready() { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
