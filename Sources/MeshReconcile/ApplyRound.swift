import Foundation
import MeshPlan

/// How one proxy ended a round, as `meshc apply` prints it
/// (`applied`, `unchanged`, `rejected: …`, `unreachable: …`, `invalid: …`).
public struct ProxyOutcome: Sendable, Equatable {
    /// The proxy.
    public var proxy: String
    /// The outcome text.
    public var text: String
    /// Whether the proxy runs the desired snapshot now (or needs nothing: no agent, dry run).
    public var ok: Bool
    /// Whether a push succeeded this round.
    public var applied: Bool

    /// `proxy: text`.
    public var line: String { "\(proxy): \(text)" }
}

/// One pass over the proxies: ask every agent, decide (`ReconcileCore`),
/// validate what changes with `envoy --mode validate`, then push with
/// bounded parallelism. An unreachable or rejecting proxy does not hold up
/// the others. `meshc apply` runs one; `meshc reconcile` one per wake-up.
public struct ApplyRound: Sendable {
    /// Talks to the agents.
    public var fleet: AgentFleet
    /// Checks bootstraps before a push; nil skips validation.
    public var validator: EnvoyValidator?
    /// Agents asked, validated and pushed at once, at most.
    public var parallel: Int
    /// Decide and validate, never push.
    public var dryRun: Bool

    /// A round over `fleet`.
    public init(fleet: AgentFleet, validator: EnvoyValidator?, parallel: Int = 4, dryRun: Bool = false) {
        self.fleet = fleet
        self.validator = validator
        self.parallel = parallel
        self.dryRun = dryRun
    }

    /// The plan of `desired` against what the agents run (unreachable agents left out).
    public func plan(_ desired: DesiredState) async -> (plan: Plan, unreachable: [String: String]) {
        let proxies = desired.proxies.filter { $0.agentAddress != nil }
        let fleet = self.fleet
        let running = await boundedMap(proxies, limit: parallel) { proxy -> Result<ProxyResources, Error> in
            do { return .success(try await fleet.running(proxy)) } catch { return .failure(error) }
        }
        var have: [ProxyResources] = [], want: [ProxyResources] = [], unreachable: [String: String] = [:]
        for (proxy, result) in zip(proxies, running) {
            switch result {
            case .success(let resources):
                have.append(resources)
                want.append(proxy.resources)
            case .failure(let error):
                unreachable[proxy.name] = AgentFleet.describe(error, address: proxy.agentAddress ?? "")
            }
        }
        return (Planner.plan(desired: want, running: have), unreachable)
    }

    /// Runs the round on `desired` (already given to `core.desire`); `now` is the clock.
    public func run(_ desired: DesiredState, core: SharedCore, now: @Sendable () -> Date = Date.init) async -> [ProxyOutcome] {
        let byName = Dictionary(desired.proxies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let managed = desired.proxies.filter { $0.agentAddress != nil }
        let fleet = self.fleet
        let observed = await boundedMap(managed, limit: parallel) { await fleet.observe($0) }
        let observations = Dictionary(zip(managed.map(\.name), observed), uniquingKeysWith: { first, _ in first })
        let decisions = core.with { $0.decide(observations, now: now()) }

        var outcomes: [String: ProxyOutcome] = [:]
        var toPush: [(DesiredProxy, String?)] = []
        for (name, decision) in decisions {
            switch decision {
            case .inSync: outcomes[name] = ProxyOutcome(proxy: name, text: "unchanged", ok: true, applied: false)
            case .skip(let why): outcomes[name] = ProxyOutcome(proxy: name, text: "skipped: \(why)", ok: byName[name]?.agentAddress == nil, applied: false)
            case .wait:
                let record = core.with { $0.records[name] }
                outcomes[name] = ProxyOutcome(proxy: name, text: record?.lastError ?? "waiting to retry", ok: false, applied: false)
            case .apply(let ifMatch, _):
                if let proxy = byName[name] { toPush.append((proxy, ifMatch)) }
            }
        }

        let validator = self.validator
        let verdicts = await boundedMap(toPush.map(\.0), limit: parallel) { proxy in await validator?.validate(proxy) }
        var valid: [(DesiredProxy, String?)] = []
        for ((proxy, ifMatch), verdict) in zip(toPush, verdicts) {
            if let verdict {
                core.with { $0.record(proxy.name, .invalid(verdict), now: now()) }
                outcomes[proxy.name] = ProxyOutcome(proxy: proxy.name, text: "invalid: \(verdict)", ok: false, applied: false)
            } else if dryRun {
                outcomes[proxy.name] = ProxyOutcome(proxy: proxy.name, text: "would apply (dry run)", ok: true, applied: false)
            } else {
                valid.append((proxy, ifMatch))
            }
        }

        let pushed = await boundedMap(valid, limit: parallel) { proxy, ifMatch -> (PushOutcome, Bool) in
            let first = await fleet.push(proxy, ifMatch: ifMatch)
            guard case .stale = first else { return (first, false) }
            // Someone wrote since the read: read again and retry once.
            guard case .running(let current) = await fleet.observe(proxy) else { return (first, true) }
            if current == proxy.snapshotVersion { return (.applied(version: proxy.snapshotVersion), true) }
            return (await fleet.push(proxy, ifMatch: current), true)
        }
        for ((proxy, _), (outcome, retried)) in zip(valid, pushed) {
            core.with { $0.record(proxy.name, outcome, now: now()) }
            outcomes[proxy.name] = Self.outcome(proxy.name, outcome, retried: retried)
        }
        return outcomes.values.sorted { $0.proxy < $1.proxy }
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
