import Foundation
import Prometheus

/// The agent's `GET /metrics` (behind the API token, like every route): one
/// swift-prometheus registry, every family with `# HELP`, counters at zero.
///
/// - `meshc_agent_apply_duration_seconds` (histogram): a push from arrival to Envoy serving it (validation included).
/// - `meshc_agent_applies_total`: snapshots applied.
/// - `meshc_agent_refusals_total{reason}`: pushes not applied — `invalid` (policy or `envoy --mode validate`), `credential`
///   (a gateway certificate or key file missing, unreadable, expired or mismatched: `GatewayCredentialCheck`), `rejected`
///   (a port taken, Envoy refused a stage, drift a repair could not fix), `malformed`.
/// - `meshc_agent_envoy_restarts`, `meshc_agent_envoy_ready` (gauges, read at each scrape).
/// - `meshc_agent_certificate_expiry_timestamp_seconds` (gauge): the workload certificate's end, when one is held.
package final class AgentMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let applyDuration: DurationHistogram
    private let applies: Counter
    private let refusals: [String: Counter]
    private let restarts: Gauge
    private let ready: Gauge

    static func name(_ metric: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "meshc", subsystem: "agent", metricName: metric, unitName: unit, helpText: help)
    }

    /// Histogram buckets of meshc's durations (an agent's apply, a reconcile round): 10 ms to 30 s.
    package static let durationBuckets: [Duration] = [.milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                                      .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
                                                      .seconds(10), .seconds(30)]

    /// The reasons `refusals_total` counts, each present at zero.
    package static let reasons = ["invalid", "credential", "rejected", "malformed"]

    package init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        applyDuration = registry.makeDurationHistogram(
            descriptor: Self.name("apply_duration", unit: "seconds", "A push from arrival to Envoy serving it, validation included."),
            buckets: Self.durationBuckets)
        applies = registry.makeCounter(descriptor: Self.name("applies", unit: "total", "Snapshots applied."))
        let refusal = Self.name("refusals", unit: "total", "Pushes not applied, by reason: invalid, credential, rejected, malformed.")
        refusals = Dictionary(uniqueKeysWithValues: Self.reasons.map { ($0, registry.makeCounter(descriptor: refusal, labels: [("reason", $0)])) })
        restarts = registry.makeGauge(descriptor: Self.name("envoy_restarts", unit: "", "Times the agent restarted its Envoy."))
        ready = registry.makeGauge(descriptor: Self.name("envoy_ready", unit: "", "1 when Envoy answers ready on its admin, else 0."))
    }

    /// An applied snapshot and how long it took.
    package func applied(seconds: Double) {
        applies.increment()
        applyDuration.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// A push not applied, for `reason` (one of `reasons`).
    package func refused(_ reason: String) {
        refusals[reason]?.increment()
    }

    /// The exposition, gauges first set from `state` and `certificate`.
    package func text(state: AgentState, certificate: AgentState.Certificate?) -> String {
        restarts.set(Double(state.envoy.restarts))
        ready.set(state.envoy.ready ? 1.0 : 0.0)
        if let expiry = certificate.flatMap({ ISO8601DateFormatter().date(from: $0.expiry) }) {
            registry.makeGauge(descriptor: Self.name("certificate_expiry_timestamp", unit: "seconds",
                                                     "End of validity of the workload certificate the agent holds (Unix seconds)."))
                .set(expiry.timeIntervalSince1970)
        }
        return registry.emitToString()
    }
}
