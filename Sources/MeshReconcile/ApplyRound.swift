import Foundation
import MeshAgent
import MeshPipeline
import MeshPlan
import MeshSnapshot

/// How one proxy ended a round, as `meshc apply` prints it
/// (`applied`, `unchanged`, `rejected: …`, `unreachable: …`, `invalid: …`).
package struct ProxyOutcome: Sendable, Equatable {
    /// The proxy.
    package var proxy: String
    /// The outcome text.
    package var text: String
    /// Whether the proxy runs the desired snapshot now (or needs nothing: no agent, dry run).
    package var ok: Bool
    /// Whether a push succeeded this round.
    package var applied: Bool
    /// Backing off after a failure: nothing was attempted this round.
    package var waiting = false
    /// Milliseconds the push took, the agent's validation and apply included (0 when none).
    package var pushMilliseconds = 0

    /// `proxy: text`.
    package var line: String { "\(proxy): \(text)" }
}

/// One pass over the proxies: ask every agent, decide (`ReconcileCore`),
/// then push with bounded parallelism; each agent checks what a push brings
/// with `envoy --mode validate` beside its own Envoy (422 `invalid`). A dry
/// run, which pushes nothing, validates here instead. An unreachable or rejecting proxy does not hold up
/// the others. `meshc apply` runs one; `meshc reconcile` one per wake-up.
package struct ApplyRound: Sendable {
    /// Talks to the agents.
    package var fleet: any Fleet
    /// Dry runs: checks what each push would bring; nil skips it.
    package var validator: EnvoyValidator?
    /// Agents asked, validated and pushed at once, at most.
    package var parallel: Int
    /// Decide and validate, never push.
    package var dryRun: Bool
    /// Seconds an agent's answer stays good enough to push a new commit over
    /// it without reading the agent again (`ReconcileCore.recentObservation`).
    package var reuseObservations: TimeInterval

    /// A round over `fleet`.
    package init(fleet: any Fleet, validator: EnvoyValidator? = nil, parallel: Int = 4, dryRun: Bool = false,
                reuseObservations: TimeInterval = 60) {
        self.fleet = fleet
        self.validator = validator
        self.parallel = parallel
        self.dryRun = dryRun
        self.reuseObservations = reuseObservations
    }

    /// The plan of `desired` against what the agents run (unreachable agents
    /// left out), and the proxies whose Envoy does not serve what their agent
    /// applied (`drift`: a reconcile round repairs them).
    package func plan(_ desired: DesiredState) async -> (plan: Plan, unreachable: [String: String], drift: [String: String]) {
        let proxies = desired.proxies.filter { $0.agentAddress != nil }
        let fleet = self.fleet
        let running = await boundedMap(proxies, limit: parallel) { proxy -> (Result<ProxySnapshot, Error>, Observation) in
            let observation = await fleet.observe(proxy)
            do { return (.success(try await fleet.running(proxy)), observation) } catch { return (.failure(error), observation) }
        }
        var have: [ProxySnapshot] = [], want: [ProxySnapshot] = [], unreachable: [String: String] = [:], drift: [String: String] = [:]
        for (proxy, (result, observation)) in zip(proxies, running) {
            switch result {
            case .success(let resources):
                have.append(resources)
                want.append(proxy.snapshot)
                if case .drifted(_, let reason) = observation { drift[proxy.name] = reason }
            case .failure(let error):
                unreachable[proxy.name] = AgentFleet.describe(error, address: proxy.agentAddress ?? "")
            }
        }
        return (Planner.plan(desired: want, running: have), unreachable, drift)
    }

    /// Runs the round on `desired` (already given to `core.desire`); `now` is the clock.
    /// Each proxy goes its own way (read, decide, validate, push) with at
    /// most `parallel` at once, so a slow or dead agent holds up no other.
    package func run(_ desired: DesiredState, core: SharedCore, now: @escaping @Sendable () -> Date = { Date() }) async -> [ProxyOutcome] {
        var outcomes = core.with { core in
            core.decide([:], now: now()).compactMap { name, decision -> ProxyOutcome? in
                guard case .skip(let why) = decision else { return nil }
                return ProxyOutcome(proxy: name, text: "skipped: \(why)", ok: true, applied: false)
            }
        }
        let round = self
        outcomes += await boundedMap(desired.proxies.filter { $0.agentAddress != nil }, limit: parallel) { proxy in
            await round.reconcile(proxy, core: core, now: now)
        }
        return outcomes.sorted { $0.proxy < $1.proxy }
    }

    /// One proxy: read its agent, decide, validate, push, record.
    func reconcile(_ proxy: DesiredProxy, core: SharedCore, now: @Sendable () -> Date) async -> ProxyOutcome {
        let name = proxy.name
        // Backing off: not even read until its time comes (a hanging agent costs a round nothing).
        if let record = core.with({ $0.records[name] }), let retryAt = record.retryAt, retryAt > now() {
            var outcome = ProxyOutcome(proxy: name, text: record.lastError ?? "waiting to retry", ok: false, applied: false)
            outcome.waiting = true
            return outcome
        }
        let reuse = reuseObservations
        let recent = core.with { $0.recentObservation(name, maximumAge: reuse, now: now()) }
        let observation: Observation
        if let recent { observation = recent } else { observation = await fleet.observe(proxy) }
        let (decision, failedNow) = core.with { core -> (Decision?, Bool) in
            if recent == nil, case .running = observation { core.observed(name, now: now()) }
            let before = core.records[name]?.failures ?? 0
            let decision = core.decide([name: observation], now: now())[name]
            return (decision, (core.records[name]?.failures ?? 0) > before)
        }
        switch decision {
        case nil, .inSync?:
            return ProxyOutcome(proxy: name, text: "unchanged", ok: true, applied: false)
        case .skip(let why)?:
            return ProxyOutcome(proxy: name, text: why, ok: false, applied: false)
        case .wait?:
            let record = core.with { $0.records[name] }
            var outcome = ProxyOutcome(proxy: name, text: record?.lastError ?? "waiting to retry", ok: false, applied: false)
            outcome.waiting = !failedNow // an unreachable agent failed this round; otherwise it only waits
            return outcome
        case .apply(let ifMatch, _)?:
            if dryRun {
                // Nothing reaches an agent, so nobody else checks it: validate the change from empty here.
                if let validator, let bootstrap = ValidationBootstrap.text(from: nil, to: proxy.snapshot),
                   let verdict = await validator.validate(bootstrap) {
                    return ProxyOutcome(proxy: name, text: "invalid: \(verdict)", ok: false, applied: false)
                }
                return ProxyOutcome(proxy: name, text: "would apply (dry run)", ok: true, applied: false)
            }
            let pushing = ContinuousClock.now
            var outcome = await fleet.push(proxy, ifMatch: ifMatch)
            var retried = false
            if case .stale = outcome, case .running(let current) = await fleet.observe(proxy) {
                // Someone wrote since the read: read again and retry once.
                retried = true
                outcome = current == proxy.snapshotVersion ? .applied(version: current ?? "") : await fleet.push(proxy, ifMatch: current)
            }
            core.with { $0.record(name, outcome, now: now()) }
            var result = Self.outcome(name, outcome, retried: retried)
            result.pushMilliseconds = Self.milliseconds(ContinuousClock.now - pushing)
            return result
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// The outcome line of a push.
    static func outcome(_ name: String, _ outcome: PushOutcome, retried: Bool) -> ProxyOutcome {
        let prefix = retried ? "stale: retried, " : ""
        switch outcome {
        case .applied: return ProxyOutcome(proxy: name, text: prefix + "applied", ok: true, applied: true)
        case .stale: return ProxyOutcome(proxy: name, text: "stale: retried", ok: false, applied: false)
        case .rejected(let reason): return ProxyOutcome(proxy: name, text: prefix + "rejected: \(reason)", ok: false, applied: false)
        case .malformed(let reason): return ProxyOutcome(proxy: name, text: prefix + "rejected: \(reason)", ok: false, applied: false)
        case .unreachable(let reason): return ProxyOutcome(proxy: name, text: prefix + "unreachable: \(reason)", ok: false, applied: false)
        case .invalid(let reason): return ProxyOutcome(proxy: name, text: "invalid: \(reason)", ok: false, applied: false)
        }
    }
}
