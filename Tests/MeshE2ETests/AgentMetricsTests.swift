import Foundation
import MeshTestSupport
import Testing

/// The agent's `GET /metrics` (issue 12): applies and refusals counted, Envoy's state read at each scrape.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct AgentMetricsTests {
    @Test func appliesRefusalsAndEnvoyStateAreExposed() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let backend = try bed.echo(text: "foo")
        let agent = try bed.agent()
        let before = try agent.request("GET", "/metrics").text
        #expect(before.contains("meshc_agent_applies_total 0"), "\(before)")
        #expect(before.contains("meshc_agent_refusals_total{reason=\"invalid\"} 0"), "\(before)")
        #expect(try agent.request("GET", "/metrics", token: .some(nil)).status == 401, "metrics need the API token")

        let manifests = ScenarioManifests.join([
            ScenarioManifests.gateway, ScenarioManifests.serviceWithWorkload("foo", port: backend.port),
            ScenarioManifests.virtualService(http: "  - route:\n    - destination:\n        host: foo"),
        ])
        let bundle = try bed.bundle(manifests, listenerPort: try Ports.free())
        #expect(try agent.put(bundle, ifMatch: nil).status == 200, "\(agent.context)")
        // A bundle for another proxy is malformed: refused and counted.
        #expect(try agent.put(try bed.bundle(manifests, listenerPort: try Ports.free(), proxy: "mesh"), ifMatch: bundle["version"]?.text).status != 200)

        let after = try agent.request("GET", "/metrics").text
        #expect(after.contains("meshc_agent_applies_total 1"), "\(after)")
        #expect(after.contains("meshc_agent_refusals_total{reason=\"malformed\"} 1"), "\(after)")
        #expect(after.contains("meshc_agent_apply_duration_seconds_count 1"), "\(after)")
        #expect(after.contains("meshc_agent_envoy_ready 1.0"), "\(after)")
        #expect(after.contains("meshc_agent_envoy_restarts 0.0"), "\(after)")
        let typed = after.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        for family in typed { #expect(after.contains("# HELP \(family) "), "no # HELP for \(family)") }
    }
}
