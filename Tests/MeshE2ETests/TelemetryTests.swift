import Foundation
import MeshDiagnostics
import MeshTestSupport
import Testing

/// The telemetry of a running mesh in a real Prometheus (issue 12): Debian's
/// server scrapes `meshc reconcile`'s and `meshc agent`'s /metrics and the
/// gateway Envoy's `--stats-listen` page; every query of the dashboards and
/// alert rules in examples/telemetry is executed and must return series with
/// the labels it groups by.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing), .enabled(if: Tools.prometheus != nil, Tools.prometheusMissing))
struct TelemetryTests {
    static let examples = Repository.url("examples/telemetry")

    /// Every query: dashboard targets (`$service` as `.*`) and alert expressions without their threshold.
    static func queries() throws -> [(source: String, query: String)] {
        var result: [(String, String)] = []
        let dashboards = examples.appendingPathComponent("dashboards")
        for file in try FileManager.default.contentsOfDirectory(atPath: dashboards.path).sorted() where file.hasSuffix(".json") {
            let dashboard = try JSON.parse(String(contentsOf: dashboards.appendingPathComponent(file), encoding: .utf8))
            for panel in dashboard["panels"]?.items ?? [] {
                for target in panel["targets"]?.items ?? [] {
                    guard let expr = target["expr"]?.text else { continue }
                    result.append(("\(file): \(panel["title"]?.text ?? "")", expr.replacingOccurrences(of: "$service", with: ".*")))
                }
            }
        }
        let rules = try String(contentsOf: examples.appendingPathComponent("alerts.yaml"), encoding: .utf8)
        var alert = ""
        var lines = rules.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).makeIterator()
        while let line = lines.next() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- alert: ") { alert = String(trimmed.dropFirst("- alert: ".count)) }
            guard trimmed.hasPrefix("expr:") else { continue }
            var expr = String(trimmed.dropFirst("expr:".count)).trimmingCharacters(in: .whitespaces)
            if expr == "|" {
                // A block scalar: the lines indented deeper than `expr:` (the rule group's layout ends it with the next key).
                let indent = line.prefix { $0 == " " }.count
                expr = ""
                while let next = lines.next(), next.prefix(while: { $0 == " " }).count > indent {
                    expr += next.trimmingCharacters(in: .whitespaces) + " "
                }
                expr = expr.trimmingCharacters(in: .whitespaces)
            }
            // The measured value: the expression left of its threshold.
            if let threshold = expr.range(of: #"\s[<>]=?\s[^()]*$"#, options: .regularExpression) { expr = String(expr[..<threshold.lowerBound]) }
            result.append(("alerts.yaml: \(alert)", expr))
        }
        return result
    }

    /// The labels a query groups by (its first `by (…)`), less `destination_subset`: Prometheus drops a label whose value is empty.
    static func groupLabels(_ query: String) -> [String] {
        guard let by = query.range(of: "by ("), let close = query[by.upperBound...].firstIndex(of: ")") else { return [] }
        return query[by.upperBound..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != "le" && $0 != "destination_subset" }
    }

    @Test func alertRulesPassPromtool() throws {
        let promtool = try #require(Tools.promtool)
        let run = try Subprocess.run(promtool, ["check", "rules", Self.examples.appendingPathComponent("alerts.yaml").path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    }

    @Test func prometheusScrapesEverythingAndEveryQueryAnswers() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let token = UUID().uuidString
        let foo = try bed.echo(text: "foo"), broken = try bed.echo(text: "broken", status: 503)
        let (listener, admin, agentPort, statsPort, ghostAgent, prometheusPort) =
            try (Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free(), Ports.free())
        let agent = try bed.agent(proxy: "ingressgateway", port: agentPort, adminPort: admin, token: token, state: "agents/ingressgateway",
                                  arguments: ["--stats-listen", "127.0.0.1:\(statsPort)", "--stats-tag", "source_namespace=istio-system"])
        let repo = try GitFixture(in: bed.folder)
        var files = ReconcileManifests.scenario(foo: foo.port, bar: broken.port, pathRouting: true)
        // A second gateway whose agent never answers: failures for the failure alert and dashboard.
        files["mesh/proxies.yaml"] = ReconcileManifests.gatewayProxy("ingressgateway", listener: listener, admin: admin, agent: agentPort) + "\n---\n"
            + ReconcileManifests.gatewayProxy("ghost", listener: try Ports.free(), admin: try Ports.free(), agent: ghostAgent) + "\n"
        try repo.commit("telemetry", files)
        let reconciler = try bed.reconciler(repo: repo, token: token, interval: "1s")
        #expect(poll(seconds: 15) { (try? reconciler.state("ingressgateway")) == "inSync" }, "\(reconciler.statusText)")

        let tokenFile = try bed.write("prometheus/agent-token", token)
        let config = """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
            - job_name: meshc-reconcile
              static_configs: [{targets: ["127.0.0.1:\(reconciler.port)"]}]
            - job_name: meshc-agent
              authorization: {type: Bearer, credentials_file: \(tokenFile)}
              static_configs: [{targets: ["127.0.0.1:\(agentPort)"]}]
            - job_name: envoy
              metrics_path: /stats/prometheus
              static_configs: [{targets: ["127.0.0.1:\(statsPort)"]}]
            """
        let configFile = try bed.write("prometheus/prometheus.yml", config)
        _ = try bed.spawn(name: "prometheus", executable: try #require(Tools.prometheus), arguments: [
            "--config.file=\(configFile)", "--storage.tsdb.path=\(bed.folder.appendingPathComponent("prometheus/data").path)",
            "--web.listen-address=127.0.0.1:\(prometheusPort)", "--log.level=warn",
        ])
        func query(_ promql: String) throws -> [[String: Any]] {
            let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promql
            let response = try HTTPConnection(port: prometheusPort, timeout: 5).request("GET", "/api/v1/query?query=\(encoded)")
            let json = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            return ((json?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
        }
        // Every target up.
        var up: [[String: Any]] = []
        let allUp = poll(seconds: 20, every: 0.5) {
            up = (try? query("up == 1")) ?? []
            return up.count == 3
        }
        #expect(allUp, "targets up: \(up.map { ($0["metric"] as? [String: String])?["job"] ?? "?" })\n\(agent.context)")

        // Traffic over a few scrapes: 200s and 503s through the gateway.
        for round in 0..<8 {
            for _ in 0..<5 { _ = try? HTTPConnection.get(port: listener, "/", timeout: 2) }
            if round % 2 == 0 { _ = try? HTTPConnection.get(port: listener, "/bar", timeout: 2) }
            Thread.sleep(forTimeInterval: 0.5)
        }
        // The certificate gauge needs `--ca-dir` (mTLS to the agents, which Prometheus would then need too):
        // ReconcileMetricsTests checks it; its alert is checked by promtool above.
        for (source, promql) in try Self.queries() where !promql.contains("certificate_expiry") {
            var result: [[String: Any]] = []
            let answered = poll(seconds: 15, every: 0.5) {
                result = (try? query(promql)) ?? []
                return !result.isEmpty
            }
            #expect(answered, "\(source): no series for \(promql)")
            let labels = Set(result.flatMap { (($0["metric"] as? [String: String]) ?? [:]).keys })
            for label in Self.groupLabels(promql) { #expect(labels.contains(label), "\(source): no \(label) label in \(result)") }
        }
        // The labels are the mesh's: the broken destination shows up in the 5xx ratio.
        let failing = try query(#"sum by (destination_service) (rate(envoy_cluster_upstream_rq_xx{envoy_response_code_class="5"}[1m]))"#)
        #expect(failing.contains { ($0["metric"] as? [String: String])?["destination_service"] == "http-echo-bar.default.svc.cluster.local" },
                "\(failing)")
    }
}
