import Foundation
import MeshTestSupport
import Testing

/// Envoy stats for Prometheus (issue 12): the stats configuration every
/// meshc bootstrap carries turns Istio cluster names into labels, so
/// requests by destination and code are one family, not one per cluster.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct PrometheusStatsTests {
    @Test func clusterStatsCarryDestinationLabels() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let foo = try bed.echo(text: "foo")
        let manifests = ScenarioManifests.join([
            ScenarioManifests.gateway,
            ScenarioManifests.serviceWithWorkload("http-echo", port: foo.port),
            ScenarioManifests.virtualService(http: "  - route:\n    - destination:\n        host: http-echo"),
        ])
        let gateway = try bed.compiledGateway(manifests)
        for _ in 0..<3 { #expect(try HTTPConnection(port: gateway.port).request("GET", "/").status == 200) }
        let text = try gateway.envoy.admin("/stats/prometheus").text
        let requests = text.split(separator: "\n").filter { $0.hasPrefix("envoy_cluster_upstream_rq{") && $0.contains("envoy_response_code=\"200\"") }
        let line = try #require(requests.first { $0.contains("destination_service=\"http-echo.default.svc.cluster.local\"") },
                                "no labelled upstream_rq line:\n\(text.split(separator: "\n").filter { $0.contains("upstream_rq") }.prefix(20).joined(separator: "\n"))")
        for label in ["direction=\"outbound\"", "destination_port=\"80\"", "destination_subset=\"\"",
                      "envoy_cluster_name=\"outbound|80||http-echo.default.svc.cluster.local\"", "proxy=\"gateway-istio-ingressgateway\"",
                      "source_namespace=\"default\"", "source_workload=\"gateway-istio-ingressgateway\""] {
            #expect(line.contains(label), "\(label) missing in \(line)")
        }
        #expect(line.hasSuffix(" 3"), "\(line)")
        // Connection managers are labelled by their whole listener name (an IP has dots).
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("envoy_http_downstream_rq_total{")
                    && $0.contains("envoy_http_conn_manager_prefix=\"127.0.0.1_\(gateway.port)\"") },
                "\(text.split(separator: "\n").filter { $0.hasPrefix("envoy_http_downstream_rq_total") }.prefix(3).joined(separator: "\n"))")
        // One family for every cluster: no per-cluster metric names.
        #expect(!text.contains("envoy_cluster_outbound"), "a cluster name leaked into a metric name")
    }

    /// `meshc agent --stats-listen`: Envoy serves `/stats/prometheus` on that address (Istio's 15090)
    /// and nothing else of its admin — `/quitquitquit` there is a 404 and Envoy lives on.
    @Test func theStatsListenerServesOnlyPrometheusText() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let statsPort = try Ports.free()
        let agent = try bed.agent(arguments: ["--stats-listen", "127.0.0.1:\(statsPort)"])
        var scrape: HTTPResponse?
        let served = poll(seconds: 10) {
            scrape = try? HTTPConnection(port: statsPort, timeout: 2).request("GET", "/stats/prometheus")
            return scrape?.status == 200
        }
        #expect(served, "no /stats/prometheus on 127.0.0.1:\(statsPort)\n\(agent.context)")
        #expect(scrape?.text.contains("# TYPE envoy_server_live gauge") == true, "\(scrape?.text.prefix(400) ?? "")")
        #expect(scrape?.text.contains("proxy=\"gateway-istio-ingressgateway\"") == true, "the proxy tag")
        let quit = try HTTPConnection(port: statsPort).request("POST", "/quitquitquit")
        #expect(quit.status == 404, "\(quit.status) \(quit.text)")
        let other = try HTTPConnection(port: statsPort).request("GET", "/config_dump")
        #expect(other.status == 404)
        #expect(try agent.state().envoy.ready, "Envoy must still run: \(agent.context)")
    }
}
