import MeshSnapshot

/// The make-before-break apply of one snapshot, as a pure state machine:
/// its methods return actions, the owner (`Agent`) writes files and reads
/// Envoy's admin API. Stages, each written and then confirmed by Envoy before
/// the next, so nothing in flight ever names a missing cluster:
///
/// 1. clusters: the new set plus the old clusters it drops (make);
/// 2. routes: changed route configurations and secret files (before
///    listeners, so a new listener reads its routes and certificates when it
///    is created and never serves without; secret files are not read back:
///    Envoy reads an SDS file when a listener subscribes, and reloads it on change);
/// 3. listeners;
/// 4. clusters: exactly the new set (break: what nothing names any more goes);
/// 5. route and secret files no listener names any more are deleted.
///
/// Envoy applies the valid part of a partly bad update, so every stage is
/// read back; on a rejection (or no confirmation in time) the machine
/// restores the last good config the same careful way, in reverse
/// (routes, listeners, then clusters), and finishes with the reason.
package struct ApplySequence: Sendable {
    /// What the owner does next.
    package enum Action: Equatable, Sendable {
        /// Read Envoy (`EnvoyReadout`) and call `observe`.
        case read
        /// Put `files` in place, delete `removals` (relative paths), then `.read`.
        case write(stage: Stage, files: [DeliveryFile], removals: [String])
        /// Done; on `.applied` the owner records the new bundle as applied.
        case finished(Outcome)
    }

    /// The stages, in order.
    package enum Stage: String, Sendable {
        case addClusters = "clusters (add and change)"
        case routes
        case listeners
        case removeClusters = "clusters (remove)"
        case cleanup = "route and secret files"
    }

    /// How an apply ended.
    package enum Outcome: Equatable, Sendable {
        case applied
        /// Envoy refused part of it; the last good config was put back
        /// (`restoreProblem` says why not, when even that failed).
        case rejected(reason: String, restoreProblem: String?)
    }

    /// What Envoy must show after a stage's files are in place.
    struct Expectation: Equatable, Sendable {
        /// CDS / LDS `version_text` after one more completed update.
        var clusters: String?
        var listeners: String?
        /// Route configuration → version. Only those Envoy subscribed to before
        /// the write are waited for, unless `routesMustExist` (listeners create subscriptions).
        var routes: [String: String] = [:]
        var routesMustExist = false
    }

    struct Planned: Equatable, Sendable {
        var stage: Stage
        var files: [DeliveryFile]
        var removals: [String] = []
        var expect = Expectation()
    }

    private let current: ProxySnapshot
    private let next: ProxySnapshot
    private let layout: DeliveryLayout
    private var plan: [Planned]
    private var index = 0
    private var baseline: EnvoyReadout?
    private var logged: [String] = []
    /// Set once restoring: the reason of the rejection being undone.
    private var restoring: String?
    private var written: Set<Stage> = []
    /// Set when a versions-only poll did not confirm: the next read takes the counters, which tell a rejection.
    private var countersNext = false
    /// Envoy's state after the last confirmed stage, counters included (see `observe`).
    package private(set) var settled: EnvoyReadout?

    /// The apply from `current` (what Envoy holds now: the last applied
    /// snapshot, or `ProxySnapshot.empty`) to `next`.
    package init(from current: ProxySnapshot, to next: ProxySnapshot, layout: DeliveryLayout) {
        self.current = current
        self.next = next
        self.layout = layout
        self.plan = Self.forward(from: current, to: next, layout: layout)
    }

    /// The stages this apply will write (for tests and logs).
    package var stages: [Stage] { plan.map(\.stage) }

    /// The first action: read Envoy for a baseline (or finish when nothing changed).
    package mutating func start() -> Action {
        plan.isEmpty ? .finished(.applied) : .read
    }

    /// What the owner's next `.read` must take beside the versions: the
    /// counters (the baseline before a stage, and every poll of a stage that
    /// writes clusters or listeners), the listener dump for the listener
    /// stage. A stage that writes only routes is polled on versions alone
    /// (Envoy shows a route's new version only once it took it), and on its
    /// counters after a poll that did not confirm it (a rejection moves them).
    package var parts: EnvoyReadout.Parts {
        guard index < plan.count else { return .counters }
        let expect = plan[index].expect
        if baseline != nil, !countersNext, expect.clusters == nil, expect.listeners == nil, !expect.routes.isEmpty { return [] }
        return Self.parts(expect)
    }

    /// Envoy's state after the last action.
    package mutating func observe(_ readout: EnvoyReadout) -> Action {
        guard let base = baseline else { return begin(readout) }
        logged += readout.loggedRejections
        let stage = plan[index]
        var judged = readout
        if !readout.parts.contains(.counters) {
            // Versions alone: every route the stage waits for shows its new version, or the counters come next.
            guard Self.confirmed(stage.expect, base, readout) else {
                countersNext = true
                return .read
            }
            // The stage wrote routes only, and Envoy took each: the counters stand as the baseline read them
            // (were an unrelated RDS rejection missed, the next stage would see it: undone, never wrongly confirmed).
            judged = base
            judged.routeVersions = readout.routeVersions
            judged.loggedRejections = readout.loggedRejections
        } else {
            countersNext = false
            if let problem = Self.rejection(stage, base, readout, logged) { return fail(problem, readout) }
            guard Self.confirmed(stage.expect, base, readout) else { return .read }
        }
        index += 1
        baseline = nil
        if restoring == nil { settled = judged }
        return begin(judged)
    }

    /// The current stage failed outside Envoy's counters: no confirmation
    /// before the owner's deadline, or a file could not be written.
    /// `readout` is the latest Envoy state the owner has.
    package mutating func failed(_ problem: String, readout: EnvoyReadout) -> Action {
        fail(problem, readout)
    }

    /// Emits the next stage's write with `readout` as its baseline, or finishes.
    private mutating func begin(_ readout: EnvoyReadout) -> Action {
        guard index < plan.count else {
            if let reason = restoring { return .finished(.rejected(reason: reason, restoreProblem: nil)) }
            return .finished(.applied)
        }
        let stage = plan[index]
        // The baseline must hold what this stage judges; a stats-only readout is read again in full.
        guard readout.parts.isSuperset(of: Self.parts(stage.expect)) else {
            baseline = nil
            return .read
        }
        baseline = readout
        logged = []
        if restoring == nil { written.insert(stage.stage) }
        return .write(stage: stage.stage, files: stage.files, removals: stage.removals)
    }

    /// A stage's baseline: the counters, and the listener dump for the listener stage.
    private static func parts(_ expect: Expectation) -> EnvoyReadout.Parts {
        expect.listeners != nil ? [.counters, .listeners] : .counters
    }

    private mutating func fail(_ problem: String, _ readout: EnvoyReadout) -> Action {
        if let reason = restoring { return .finished(.rejected(reason: reason, restoreProblem: problem)) }
        restoring = "\(plan[index].stage.rawValue): \(problem)"
        plan = Self.restore(current, undoing: next, written: written, layout: layout)
        index = 0
        return begin(readout)
    }

    // MARK: Judging a readout

    /// Why Envoy refused the stage, or nil: an `update_rejected` (or
    /// `update_failure`) counter moved since the baseline.
    static func rejection(_ stage: Planned, _ base: EnvoyReadout, _ now: EnvoyReadout, _ logged: [String]) -> String? {
        var counters: [String] = []
        let expect = stage.expect
        if expect.clusters != nil, now.clusters.rejected + now.clusters.failure > base.clusters.rejected + base.clusters.failure {
            counters.append("CDS update_rejected \(base.clusters.rejected) → \(now.clusters.rejected)")
        }
        if expect.listeners != nil, now.listeners.rejected + now.listeners.failure > base.listeners.rejected + base.listeners.failure {
            counters.append("LDS update_rejected \(base.listeners.rejected) → \(now.listeners.rejected)")
        }
        if !expect.routes.isEmpty || expect.listeners != nil, now.routesRejected > base.routesRejected {
            counters.append("RDS update_rejected \(base.routesRejected) → \(now.routesRejected)")
        }
        guard !counters.isEmpty else { return nil }
        var reasons = logged
        for (name, error) in now.listenerErrors.sorted(by: { $0.key < $1.key }) where base.listenerErrors[name] != error {
            reasons.append("listener \(name): \(error.details)")
        }
        return reasons.isEmpty ? "Envoy rejected the update (\(counters.joined(separator: ", ")))" : reasons.joined(separator: "; ")
    }

    /// True when Envoy shows every version the stage expects.
    static func confirmed(_ expect: Expectation, _ base: EnvoyReadout, _ now: EnvoyReadout) -> Bool {
        if let version = expect.clusters, now.clusters.completed <= base.clusters.completed || now.clusters.version != version { return false }
        if let version = expect.listeners, now.listeners.completed <= base.listeners.completed || now.listeners.version != version { return false }
        for (name, version) in expect.routes {
            guard expect.routesMustExist || base.routeVersions[name] != nil else { continue }
            if now.routeVersions[name] != version { return false }
        }
        return true
    }

    // MARK: Plans

    /// The stages from `current` to `next`; unchanged parts are skipped.
    static func forward(from current: ProxySnapshot, to next: ProxySnapshot, layout: DeliveryLayout) -> [Planned] {
        var plan: [Planned] = []
        let old = Dictionary(current[.cluster].map { ($0.name, $0.version) }, uniquingKeysWith: { a, _ in a })
        let new = Set(next[.cluster].map(\.name))
        let kept = current[.cluster].filter { !new.contains($0.name) }
        if next[.cluster].contains(where: { old[$0.name] != $0.version }) {
            let info = kept.isEmpty ? next.versionInfo(.cluster) : "\(next.versionInfo(.cluster))+\(current.versionInfo(.cluster))"
            plan.append(Planned(stage: .addClusters,
                                files: [layout.clustersFile(next[.cluster] + kept, versionInfo: info)],
                                expect: Expectation(clusters: info)))
        }
        let changed = next[.route].filter { current.version(of: .route, $0.name) != $0.version }
        let secrets = next[.secret].filter { current.version(of: .secret, $0.name) != $0.version }
        if !changed.isEmpty || !secrets.isEmpty {
            plan.append(Planned(stage: .routes, files: secrets.map { layout.secretFile($0) } + changed.map { layout.routeFile($0) },
                                expect: Expectation(routes: versions(changed))))
        }
        if next[.listener].map(\.version) != current[.listener].map(\.version)
            || next[.listener].map(\.name) != current[.listener].map(\.name) {
            plan.append(listenerStage(next, layout: layout))
        }
        if !kept.isEmpty {
            plan.append(Planned(stage: .removeClusters,
                                files: [layout.clustersFile(next[.cluster], versionInfo: next.versionInfo(.cluster))],
                                expect: Expectation(clusters: next.versionInfo(.cluster))))
        }
        let names = Set(next[.route].map(\.name)), secretNames = Set(next[.secret].map(\.name))
        let gone = current[.route].filter { !names.contains($0.name) }.map { layout.routePath($0.name) }
            + current[.secret].filter { !secretNames.contains($0.name) }.map { GatewaySecret.file($0.name) }
        if !gone.isEmpty {
            plan.append(Planned(stage: .cleanup, files: [], removals: gone))
        }
        return plan
    }

    /// Putting `good` back after part of `bad` was written: the old clusters
    /// (if a removal was written), routes, then listeners, then clusters (so
    /// routes stop naming new clusters before those go), then the new route
    /// files are deleted. Only what was written is rewritten.
    static func restore(_ good: ProxySnapshot, undoing bad: ProxySnapshot, written: Set<Stage>, layout: DeliveryLayout) -> [Planned] {
        var plan: [Planned] = []
        if written.contains(.removeClusters) {
            // The removal may have gone through in part: old clusters first, again with the new ones.
            let names = Set(good[.cluster].map(\.name))
            let info = "\(good.versionInfo(.cluster))+\(bad.versionInfo(.cluster))"
            plan.append(Planned(stage: .addClusters,
                                files: [layout.clustersFile(good[.cluster] + bad[.cluster].filter { !names.contains($0.name) },
                                                            versionInfo: info)],
                                expect: Expectation(clusters: info)))
        }
        if written.contains(.routes) {
            func touched(_ kind: EnvoyKind) -> [EnvoyResource] {
                bad[kind].compactMap { resource in
                    good.resource(kind, named: resource.name).flatMap { $0.version == resource.version ? nil : $0 }
                }
            }
            let routes = touched(.route), secrets = touched(.secret)
            if !routes.isEmpty || !secrets.isEmpty {
                plan.append(Planned(stage: .routes, files: secrets.map { layout.secretFile($0) } + routes.map { layout.routeFile($0) },
                                    expect: Expectation(routes: versions(routes))))
            }
        }
        if written.contains(.listeners) { plan.append(listenerStage(good, layout: layout)) }
        if written.contains(.addClusters) || written.contains(.removeClusters) {
            plan.append(Planned(stage: .removeClusters,
                                files: [layout.clustersFile(good[.cluster], versionInfo: good.versionInfo(.cluster))],
                                expect: Expectation(clusters: good.versionInfo(.cluster))))
        }
        let names = Set(good[.route].map(\.name)), secretNames = Set(good[.secret].map(\.name))
        let added = bad[.route].filter { !names.contains($0.name) }.map { layout.routePath($0.name) }
            + bad[.secret].filter { !secretNames.contains($0.name) }.map { GatewaySecret.file($0.name) }
        if written.contains(.routes), !added.isEmpty {
            plan.append(Planned(stage: .cleanup, files: [], removals: added))
        }
        return plan
    }

    /// LDS with `bundle`'s listeners; waits for every route configuration they name.
    private static func listenerStage(_ bundle: ProxySnapshot, layout: DeliveryLayout) -> Planned {
        let named = bundle.references.routes
        return Planned(stage: .listeners, files: [layout.listenersFile(bundle)],
                       expect: Expectation(listeners: bundle.versionInfo(.listener),
                                           routes: versions(bundle[.route].filter { named.contains($0.name) }),
                                           routesMustExist: true))
    }

    private static func versions(_ resources: [EnvoyResource]) -> [String: String] {
        Dictionary(resources.map { ($0.name, $0.version) }, uniquingKeysWith: { a, _ in a })
    }
}
