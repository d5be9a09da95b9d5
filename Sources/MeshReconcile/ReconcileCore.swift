import Foundation
import MeshDiagnostics

/// What to do about one proxy this round.
package enum Decision: Sendable, Equatable {
    /// Push the desired bundle with `If-Match: ifMatch` (`If-None-Match: *` when nil).
    case apply(ifMatch: String?, drift: Bool)
    /// The agent runs the desired snapshot.
    case inSync
    /// A recent failure: nothing before `until`.
    case wait(until: Date)
    /// Never pushed: no agent declared, or the desired config failed validation.
    case skip(String)
}

/// The pure half of reconciling: pairs what the repository wants with what
/// each agent reports, decides per proxy, and remembers outcomes (backoff,
/// drift). It does no I/O and reads no clock: the owner passes `now`, asks
/// the agents, validates and pushes, and reports back with `record`.
///
///     core.desire(state.proxies.map { ($0.name, $0.agentAddress, $0.snapshotVersion) })
///     let decisions = core.decide(observations, now: now)   // owner: validate, push
///     core.record("gw", .applied(version: v), now: now)
package struct ReconcileCore: Sendable {
    /// Per proxy, by name.
    package internal(set) var records: [String: ProxyRecord] = [:]
    /// Retry timing after failures.
    package let backoff: Backoff
    /// The commit the desired versions come from (`ProxyRecord.runningCommit` of proxies that serve them).
    package var commit: String?

    /// An empty core.
    package init(backoff: Backoff = Backoff()) { self.backoff = backoff }

    /// Records, sorted by name.
    package var sortedRecords: [ProxyRecord] { records.values.sorted { $0.name < $1.name } }

    /// Sets what the repository wants. A proxy whose desired version changes
    /// starts afresh (no backoff, validated again); proxies no longer in the
    /// repository are forgotten (their agents keep what they run).
    package mutating func desire(_ proxies: [(name: String, agent: String?, version: String)]) {
        var next: [String: ProxyRecord] = [:]
        for proxy in proxies {
            var record = records[proxy.name] ?? ProxyRecord(name: proxy.name, agent: proxy.agent, desiredVersion: proxy.version)
            // Another agent: what the old one held says nothing about it.
            if record.agent != proxy.agent { record.certificate = CertificateRecord() }
            if record.desiredVersion != proxy.version || record.agent != proxy.agent {
                record.desiredVersion = proxy.version
                record.agent = proxy.agent
                record.failures = 0
                record.retryAt = nil
                record.invalidVersion = nil
                record.lastError = nil
                record.phase = proxy.agent == nil ? .unmanaged : (record.runningVersion == proxy.version ? .inSync : .applying)
            }
            next[proxy.name] = record
        }
        records = next
    }

    /// Decides for every desired proxy. `observations` holds what each agent
    /// answered this round (proxies without one are not decided on, except
    /// those without an agent, which are skipped).
    package mutating func decide(_ observations: [String: Observation], now: Date) -> [String: Decision] {
        var decisions: [String: Decision] = [:]
        for name in records.keys.sorted() {
            guard var record = records[name] else { continue }
            defer { records[name] = record }
            guard record.agent != nil else {
                record.phase = .unmanaged
                decisions[name] = .skip("no agent: declare spec.agent.address in its kind: Proxy to have it reconciled")
                continue
            }
            guard let observation = observations[name] else { continue }
            if let retryAt = record.retryAt, retryAt > now {
                if case .running(let version) = observation, version == record.desiredVersion {
                    synced(&record, version: version)
                    decisions[name] = .inSync
                } else {
                    decisions[name] = .wait(until: retryAt)
                }
                continue
            }
            switch observation {
            case .unreachable(let reason):
                fail(&record, phase: .unreachable, reason: "unreachable: \(reason)", now: now)
                decisions[name] = .wait(until: record.retryAt ?? now)
            case .running(let version) where version == record.desiredVersion:
                synced(&record, version: version)
                decisions[name] = .inSync
            case .drifted(let version, let reason):
                // Not served as applied: push (the same version repairs it), whatever was recorded.
                record.runningVersion = version
                record.phase = .applying
                record.lastError = Bounded.text("drift: \(reason)", Bounded.reason)
                decisions[name] = .apply(ifMatch: version, drift: true)
            case .running(let version):
                record.runningVersion = version
                if record.invalidVersion == record.desiredVersion {
                    decisions[name] = .skip(record.lastError ?? "invalid")
                    continue
                }
                record.phase = .applying
                // Drift: this reconciler applied the desired version, yet the agent runs another.
                decisions[name] = .apply(ifMatch: version, drift: record.appliedVersion == record.desiredVersion)
            }
        }
        return decisions
    }

    /// `name`'s agent answered a read at `now` (what `recentObservation` may reuse).
    package mutating func observed(_ name: String, now: Date) {
        records[name]?.lastObserved = now
    }

    /// What `name`'s agent said less than `maximumAge` seconds ago, when that
    /// already calls for a push: a new commit then goes out without reading
    /// every agent first. A push over an outdated version is refused (412)
    /// and read again; proxies in sync, waiting or failing are always read
    /// (that is how drift and recovery are seen).
    package func recentObservation(_ name: String, maximumAge: TimeInterval, now: Date) -> Observation? {
        guard let record = records[name], record.agent != nil, record.phase != .unreachable, record.retryAt == nil,
              record.invalidVersion != record.desiredVersion, record.runningVersion != record.desiredVersion,
              let seen = record.lastObserved, now.timeIntervalSince(seen) < maximumAge else { return nil }
        return .running(version: record.runningVersion)
    }

    /// Remembers how a push (or its validation) for `name` ended.
    package mutating func record(_ name: String, _ outcome: PushOutcome, now: Date) {
        guard var record = records[name] else { return }
        defer { records[name] = record }
        switch outcome {
        case .applied(let version):
            synced(&record, version: version)
            record.appliedVersion = version
            record.lastApplied = now
            record.lastObserved = now
        case .stale(let current):
            // Someone else wrote in between: read again and retry at once.
            record.runningVersion = current
            record.phase = .applying
            record.lastError = Bounded.text("stale: the agent runs \(current ?? "nothing") since it was read", Bounded.reason)
        case .invalid(let reason):
            record.invalidVersion = record.desiredVersion
            record.phase = .failed
            record.lastError = Bounded.text("invalid: \(reason)", Bounded.reason)
        case .rejected(let reason):
            fail(&record, phase: .failed, reason: "rejected: \(reason)", now: now)
        case .malformed(let reason):
            fail(&record, phase: .failed, reason: "malformed: \(reason)", now: now)
        case .unreachable(let reason):
            fail(&record, phase: .unreachable, reason: "unreachable: \(reason)", now: now)
        }
    }

    /// The earliest time a waiting proxy may be tried again, if any waits.
    package func nextRetry(after now: Date) -> Date? {
        records.values.compactMap(\.retryAt).filter { $0 > now }.min()
    }

    /// Whether every proxy with an agent runs its desired version.
    package var converged: Bool {
        records.values.allSatisfy { $0.agent == nil || $0.phase == .inSync }
    }

    private func synced(_ record: inout ProxyRecord, version: String?) {
        if version == record.desiredVersion, let commit { record.runningCommit = commit }
        record.runningVersion = version
        record.phase = .inSync
        record.failures = 0
        record.retryAt = nil
        record.lastError = nil
    }

    private func fail(_ record: inout ProxyRecord, phase: ProxyPhase, reason: String, now: Date) {
        record.failures += 1
        record.retryAt = now.addingTimeInterval(backoff.delay(afterFailures: record.failures))
        record.phase = phase
        record.lastError = Bounded.text(reason, Bounded.reason)
    }
}
