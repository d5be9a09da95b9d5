import Foundation
import MeshAgent
import MeshDiagnostics
import MeshLint
import Prometheus
import Synchronization

/// `/metrics`: one swift-prometheus registry, every family with `# HELP`.
///
/// - `meshc_build_info{version,commit}` (gauge, 1).
/// - `meshc_reconcile_round_duration_seconds` (histogram): one round, from poll to the last push answer.
/// - `meshc_reconcile_last_applied_commit_timestamp_seconds` (gauge): committer time of the last commit every proxy runs.
/// - `meshc_reconcile_applies_total{proxy}` (counter, 0 from the first round that desires the proxy): successful pushes.
/// - `meshc_reconcile_failures_total{proxy,reason}` (counter): failed attempts (unreachable, rejected, invalid…).
/// - `meshc_reconcile_bad_commits_total` (counter, 0 from the start): commits not applied for lint or consistency errors.
/// - `meshc_reconcile_proxy_in_sync{proxy}` (gauge, 1 or 0): the proxy runs the desired snapshot (read from the status at each scrape).
/// - `meshc_reconcile_proxy_last_apply_timestamp_seconds{proxy}` (gauge): when a push last succeeded.
/// - `meshc_reconcile_proxy_certificate_expiry_timestamp_seconds{proxy}` (gauge, with `--ca-dir`): the workload certificate's end.
/// - `meshc_reconcile_proxies{state}` (gauge): proxies per state (inSync, applying, failed, unreachable, unmanaged).
package final class ReconcileMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let rounds: DurationHistogram
    private let appliedCommitTime: Gauge
    private let badCommits: Counter

    /// A fresh registry, with the families that exist from the start.
    package init() {
        rounds = registry.makeDurationHistogram(
            descriptor: Self.name("reconcile_round_duration", unit: "seconds", "Wall time of one reconcile round, from poll to the last push answer."),
            buckets: AgentMetrics.durationBuckets)
        appliedCommitTime = registry.makeGauge(descriptor: Self.name(
            "reconcile_last_applied_commit_timestamp", unit: "seconds", "Committer time of the last commit every proxy runs (Unix seconds)."))
        badCommits = registry.makeCounter(descriptor: Self.name(
            "reconcile_bad_commits", unit: "total", "Commits not applied because of lint or consistency errors."))
        registry.makeGauge(descriptor: Self.name("build", unit: "info", "meshc's version and commit; always 1."),
                           labels: [("version", MeshcVersion.version), ("commit", MeshcVersion.commit)]).set(1.0)
    }

    static func name(_ metric: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "meshc", metricName: metric, unitName: unit, helpText: help)
    }

    private static var applies: MetricNameDescriptor { name("reconcile_applies", unit: "total", "Successful pushes of a snapshot to a proxy's agent.") }
    private static var failures: MetricNameDescriptor { name("reconcile_failures", unit: "total",
                                       "Failed pushes by reason: unreachable, rejected, invalid, malformed, stale, skipped, failed.") }
    private static var inSync: MetricNameDescriptor { name("reconcile_proxy_in_sync", unit: "", "1 when the proxy runs the desired snapshot, else 0.") }
    private static var lastApply: MetricNameDescriptor { name("reconcile_proxy_last_apply_timestamp", unit: "seconds",
                                        "When a push to the proxy last succeeded (Unix seconds).") }
    private static var certificateExpiry: MetricNameDescriptor { name("reconcile_proxy_certificate_expiry_timestamp", unit: "seconds",
                                                "End of validity of the proxy's workload certificate (Unix seconds).") }
    private static var proxies: MetricNameDescriptor { name("reconcile_proxies", unit: "", "Proxies per state: inSync, applying, failed, unreachable, unmanaged.") }

    /// Records a round's wall time.
    package func roundFinished(seconds: Double) {
        rounds.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Sets the committer time of the commit every proxy now runs.
    package func appliedCommit(time: Date) {
        appliedCommitTime.set(time.timeIntervalSince1970)
    }

    /// The `reason` label's values: a closed set, whatever an outcome's text says.
    static let reasons: Set<String> = ["unreachable", "rejected", "invalid", "malformed", "stale", "skipped"]
    /// Distinct `proxy` label values at most; later proxies count under `proxy="other"`,
    /// so a repository (or years of renames) cannot grow the registry without bound.
    static let proxyLabels = 10_000
    private let labelled = Mutex<Set<String>>([])
    /// Proxies the per-proxy gauges were last set for (a proxy gone from the status loses its gauges).
    private let gauged = Mutex<Set<String>>([])

    /// Counts a round's outcomes per proxy.
    package func count(_ outcomes: [ProxyOutcome]) {
        for outcome in outcomes {
            let proxy = label(outcome.proxy)
            if outcome.applied {
                registry.makeCounter(descriptor: Self.applies, labels: [("proxy", proxy)]).increment()
            } else if !outcome.ok && !outcome.waiting {
                let first = outcome.text.split(separator: ":").first.map(String.init) ?? ""
                let reason = Self.reasons.contains(first) ? first : "failed"
                registry.makeCounter(descriptor: Self.failures, labels: [("proxy", proxy), ("reason", reason)]).increment()
            }
        }
    }

    /// `proxy` as a label value: length-bounded, and "other" once the set is full.
    func label(_ proxy: String) -> String {
        let value = Bounded.text(proxy, Bounded.label)
        return labelled.withLock { seen in
            if seen.contains(value) { return value }
            guard seen.count < Self.proxyLabels else { return "other" }
            seen.insert(value)
            return value
        }
    }

    /// Counts a commit that was not applied.
    package func badCommit() {
        badCommits.increment()
    }

    /// The Prometheus text exposition, the per-proxy gauges first brought up to `status`.
    package func text(_ status: ReconcileStatus? = nil) -> String {
        if let status { refresh(status) }
        return registry.emitToString()
    }

    /// Sets the per-proxy gauges and state counts from the reconciler's status; a proxy's applies counter exists (at 0) once it is desired.
    func refresh(_ status: ReconcileStatus) {
        let dates = ISO8601DateFormatter()
        var present = Set<String>()
        var states: [String: Int] = Dictionary(uniqueKeysWithValues: ProxyPhase.allCases.map { ($0.rawValue, 0) })
        for proxy in status.proxies {
            let name = label(proxy.name)
            present.insert(name)
            states[proxy.state.rawValue, default: 0] += 1
            let labels = [("proxy", name)]
            _ = registry.makeCounter(descriptor: Self.applies, labels: labels)
            registry.makeGauge(descriptor: Self.inSync, labels: labels).set(proxy.state == .inSync ? 1.0 : 0.0)
            if let applied = proxy.lastApplied.flatMap(dates.date(from:)) {
                registry.makeGauge(descriptor: Self.lastApply, labels: labels).set(applied.timeIntervalSince1970)
            }
            if let expiry = proxy.certificate.flatMap({ dates.date(from: $0.expiry) }) {
                registry.makeGauge(descriptor: Self.certificateExpiry, labels: labels).set(expiry.timeIntervalSince1970)
            }
        }
        for (state, count) in states { registry.makeGauge(descriptor: Self.proxies, labels: [("state", state)]).set(Double(count)) }
        let gone = gauged.withLock { previous -> Set<String> in
            defer { previous = present }
            return previous.subtracting(present)
        }
        for name in gone {
            for descriptor in [Self.inSync, Self.lastApply, Self.certificateExpiry] {
                registry.unregisterGauge(registry.makeGauge(descriptor: descriptor, labels: [("proxy", name)]))
            }
        }
    }
}
