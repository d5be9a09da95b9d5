import CoreMetrics
import Foundation
import MeshDiagnostics
import Prometheus
import Synchronization

/// `/metrics`: swift-metrics instruments backed by one swift-prometheus
/// registry (passed as the factory, so nothing global is bootstrapped).
///
/// - `meshc_reconcile_round_duration_seconds` (histogram): one round, from poll to the last push answer.
/// - `meshc_reconcile_last_applied_commit_timestamp_seconds` (gauge): committer time of the last commit every proxy runs.
/// - `meshc_reconcile_applies_total{proxy}` (counter): successful pushes.
/// - `meshc_reconcile_failures_total{proxy,reason}` (counter): failed attempts (unreachable, rejected, invalid…).
/// - `meshc_reconcile_bad_commits_total` (counter): commits not applied for lint or consistency errors.
package final class ReconcileMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    /// A fresh registry.
    package init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                                   .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30)]
        self.factory = factory
    }

    /// Records a round's wall time.
    package func roundFinished(seconds: Double) {
        CoreMetrics.Timer(label: "meshc_reconcile_round_duration_seconds", factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Sets the committer time of the commit every proxy now runs.
    package func appliedCommit(time: Date) {
        CoreMetrics.Gauge(label: "meshc_reconcile_last_applied_commit_timestamp_seconds", factory: factory).record(time.timeIntervalSince1970)
    }

    /// The `reason` label's values: a closed set, whatever an outcome's text says.
    static let reasons: Set<String> = ["unreachable", "rejected", "invalid", "malformed", "stale", "skipped"]
    /// Distinct `proxy` label values at most; later proxies count under `proxy="other"`,
    /// so a repository (or years of renames) cannot grow the registry without bound.
    static let proxyLabels = 10_000
    private let labelled = Mutex<Set<String>>([])

    /// Counts a round's outcomes per proxy.
    package func count(_ outcomes: [ProxyOutcome]) {
        for outcome in outcomes {
            let proxy = label(outcome.proxy)
            if outcome.applied {
                CoreMetrics.Counter(label: "meshc_reconcile_applies_total", dimensions: [("proxy", proxy)], factory: factory).increment()
            } else if !outcome.ok && !outcome.waiting {
                let first = outcome.text.split(separator: ":").first.map(String.init) ?? ""
                let reason = Self.reasons.contains(first) ? first : "failed"
                CoreMetrics.Counter(label: "meshc_reconcile_failures_total", dimensions: [("proxy", proxy), ("reason", reason)], factory: factory).increment()
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
        CoreMetrics.Counter(label: "meshc_reconcile_bad_commits_total", factory: factory).increment()
    }

    /// The Prometheus text exposition.
    package func text() -> String { registry.emitToString() }
}
