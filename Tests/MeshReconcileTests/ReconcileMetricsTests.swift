import Foundation
import Testing
@testable import MeshReconcile

/// meshc reconcile's /metrics (issue 12): every family documented, counters
/// present at zero, per-proxy gauges from the status.
@Suite struct ReconcileMetricsTests {
    static func proxy(_ name: String, _ state: ProxyPhase, applied: String? = nil, expiry: String? = nil) -> ReconcileStatus.Proxy {
        var proxy = ReconcileStatus.Proxy(name: name, agent: "127.0.0.1:1", appliedSnapshotVersion: nil, desiredSnapshotVersion: "v1",
                                          state: state, lastError: nil, lastApplied: applied, runningCommit: nil)
        if let expiry { proxy.certificate = ReconcileStatus.Certificate(serial: "01", expiry: expiry, identity: nil) }
        return proxy
    }

    static func status(_ proxies: [ReconcileStatus.Proxy]) -> ReconcileStatus {
        ReconcileStatus(commit: "c", commitTime: nil, lastGoodCommit: nil, lastBuiltCommit: "c", lastError: nil, proxies: proxies)
    }

    /// `name{labels} value` lines, by series.
    static func samples(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            result[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return result
    }

    @Test func everyFamilyHasHelpAndCountersStartAtZero() {
        let metrics = ReconcileMetrics()
        let text = metrics.text(Self.status([Self.proxy("gw", .inSync, applied: "2026-12-03T10:00:00Z", expiry: "2026-12-04T10:00:00Z"),
                                             Self.proxy("mesh", .unreachable)]))
        let typed = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        let helped = Set(text.split(separator: "\n").filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] })
        #expect(!typed.isEmpty)
        for family in typed { #expect(helped.contains(family), "no # HELP for \(family)\n\(text)") }
        let samples = Self.samples(text)
        #expect(samples.first { $0.key.hasPrefix("meshc_build_info{version=\"") && $0.key.contains("commit=") }?.value == "1.0", "\(text)")
        #expect(samples["meshc_reconcile_bad_commits_total"] == "0")
        #expect(samples["meshc_reconcile_applies_total{proxy=\"gw\"}"] == "0")
        #expect(samples["meshc_reconcile_proxy_in_sync{proxy=\"gw\"}"] == "1.0")
        #expect(samples["meshc_reconcile_proxy_in_sync{proxy=\"mesh\"}"] == "0.0")
        #expect(samples["meshc_reconcile_proxy_last_apply_timestamp_seconds{proxy=\"gw\"}"].flatMap(Double.init) == 1_796_292_000)
        #expect(samples["meshc_reconcile_proxy_certificate_expiry_timestamp_seconds{proxy=\"gw\"}"].flatMap(Double.init) == 1_796_378_400)
        #expect(samples["meshc_reconcile_proxies{state=\"unreachable\"}"] == "1.0")
        #expect(samples["meshc_reconcile_proxies{state=\"failed\"}"] == "0.0")
    }

    @Test func aProxyGoneFromTheStatusLosesItsGauges() {
        let metrics = ReconcileMetrics()
        _ = metrics.text(Self.status([Self.proxy("gw", .inSync), Self.proxy("old", .failed)]))
        let text = metrics.text(Self.status([Self.proxy("gw", .inSync)]))
        #expect(!text.contains("meshc_reconcile_proxy_in_sync{proxy=\"old\"}"), "\(text)")
        #expect(text.contains("meshc_reconcile_proxy_in_sync{proxy=\"gw\"}"))
    }
}
