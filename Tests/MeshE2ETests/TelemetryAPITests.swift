import Foundation
import MeshTestSupport
import Testing

/// Istio's Telemetry API end to end (issue 12): a gateway and a sidecar that
/// `meshc build` compiled, with access logging and Zipkin tracing from one
/// mesh-wide Telemetry. A request crosses the gateway, then the sidecar in
/// front of the echo backend; both Envoys write an access log line with
/// Istio's JSON fields and the same request id, both report a span of one
/// trace to a collector the test runs, and a CEL filter keeps a second log
/// to the failed requests.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct TelemetryAPITests {
    typealias M = ScenarioManifests

    /// Istio's JSON access log fields (`accessLogEncoding: JSON`), which README "Telemetry" documents.
    static let documentedFields: Set<String> = [
        "start_time", "route_name", "method", "path", "protocol", "response_code", "response_flags", "response_code_details",
        "connection_termination_details", "bytes_received", "bytes_sent", "duration", "upstream_service_time", "x_forwarded_for",
        "user_agent", "request_id", "authority", "upstream_host", "upstream_cluster", "upstream_local_address",
        "downstream_local_address", "downstream_remote_address", "requested_server_name", "upstream_transport_failure_reason",
    ]

    struct Mesh {
        let gateway: EnvoyProxy, sidecar: EnvoyProxy
        let port: Int
        let accessLog: URL, errorLog: URL

        init(_ bed: TestBed, collector: SpanCollector) throws {
            let echo = try bed.echo(text: "echo")
            let ports = try Ports.free(5)
            port = ports[0]
            accessLog = bed.folder.appendingPathComponent("access.log")
            errorLog = bed.folder.appendingPathComponent("errors.log")
            let manifests = M.join([
                M.service("http-echo"),
                M.workload("http-echo-v1", app: "http-echo", port: echo.port),
                M.sidecar("http-echo-sidecar", workload: "http-echo-v1", outbound: ports[1], admin: ports[2], inbound: (echo.port, ports[3])),
                M.edgeGateway(listenPort: port, admin: ports[4], hosts: #"["echo.example.com"]"#),
                """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: edge, namespace: istio-system}
                spec:
                  hosts: ["echo.example.com"]
                  gateways: [edge]
                  http:
                  - route:
                    - destination: {host: http-echo.default.svc.cluster.local, port: {number: 80}}
                """,
                """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: zipkin, namespace: istio-system}
                spec:
                  hosts: [zipkin.istio-system.svc.cluster.local]
                  ports: [{number: \(collector.port), name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: 127.0.0.1}]
                """,
                """
                apiVersion: meshc.dev/v1alpha1
                kind: MeshConfig
                metadata: {name: mesh, namespace: istio-system}
                spec:
                  accessLogFile: \(accessLog.path)
                  accessLogEncoding: JSON
                  extensionProviders:
                  - name: zipkin
                    zipkin: {service: zipkin.istio-system.svc.cluster.local, port: \(collector.port)}
                  - name: errors
                    envoyFileAccessLog:
                      path: \(errorLog.path)
                      logFormat: {text: "%RESPONSE_CODE% %REQ(:AUTHORITY)% %REQ(:PATH)%"}
                """,
                """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: mesh-default, namespace: istio-system}
                spec:
                  accessLogging:
                  - providers: [{name: envoy}]
                  - providers: [{name: errors}]
                    filter: {expression: "response.code >= 400"}
                  tracing:
                  - providers: [{name: zipkin}]
                    randomSamplingPercentage: 100
                    customTags:
                      team: {literal: {value: platform}}
                """,
            ])
            let out = try bed.build(manifests)
            // Access log files flushed every second, as the agent runs Envoy (Envoy's default is 10 s, per file).
            let flush = ["--file-flush-interval-msec", "1000"]
            gateway = try bed.envoy(bootstrap: try bed.builtBootstrap(out, proxy: "ingressgateway", manifests: manifests), extraArguments: flush)
            sidecar = try bed.envoy(bootstrap: try bed.builtBootstrap(out, proxy: "http-echo-sidecar", manifests: manifests), extraArguments: flush)
            guard poll(seconds: 5, { [port] in Loopback.accepts(port: port) }) else { throw HarnessError("the gateway did not listen\n\(gateway.logTail())") }
        }

        /// The JSON lines of the access log so far.
        func lines() -> [[String: Any]] {
            let text = (try? String(contentsOf: accessLog, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
        }
    }

    @Test func accessLogsAndOneTraceAcrossGatewayAndSidecar() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let collector = try SpanCollector()
        defer { collector.stop() }
        let mesh = try Mesh(bed, collector: collector)
        let connection = HTTPConnection(port: mesh.port)
        defer { connection.close() }
        for _ in 0..<3 {
            let response = try connection.request("GET", "/hello", headers: [("Host", "echo.example.com")])
            #expect(response.status == 200, "\(response.status) \(response.text)\n\(mesh.gateway.logTail())")
        }
        let missing = try connection.request("GET", "/", headers: [("Host", "nowhere.example.com")])
        #expect(missing.status == 404)

        // Access logs: a line per request on each Envoy (the 404 only on the gateway), Istio's fields, one request id per hop pair.
        #expect(poll(seconds: 10) { mesh.lines().count >= 7 }, "access log: \(mesh.lines())\n\(mesh.gateway.logTail())")
        let lines = mesh.lines()
        #expect(lines.count == 7, "\(lines)")
        for line in lines { #expect(Set(line.keys) == Self.documentedFields, "fields of \(line)") }
        let served = lines.filter { ($0["path"] as? String) == "/hello" }
        let byRequest = Dictionary(grouping: served) { $0["request_id"] as? String ?? "" }
        #expect(byRequest.count == 3 && byRequest.values.allSatisfy { $0.count == 2 }, "request ids: \(byRequest.keys.sorted())")
        for pair in byRequest.values {
            let clusters = Set(pair.compactMap { $0["upstream_cluster"] as? String })
            #expect(clusters.contains("outbound|80||http-echo.default.svc.cluster.local"), "gateway line: \(pair)")
            #expect(clusters.contains { $0.hasPrefix("inbound|") }, "sidecar line: \(pair)")
            #expect(pair.allSatisfy { ($0["response_code"] as? Int) == 200 && ($0["method"] as? String) == "GET" }, "\(pair)")
        }
        // The CEL filter: the second log (a file of its own, flushed on its own timer) has the failed request only.
        var errors = ""
        #expect(poll(seconds: 10, every: 0.05) {
            errors = (try? String(contentsOf: mesh.errorLog, encoding: .utf8)) ?? ""
            return !errors.isEmpty
        })
        #expect(errors == "404 nowhere.example.com /\n", "errors.log: \(errors.debugDescription)")

        // Tracing: spans of one trace from both Envoys reach the collector (Envoy flushes Zipkin spans every 5 s).
        let requestTraces = { () -> [String: [SpanCollector.Span]] in
            Dictionary(grouping: collector.spans.filter { $0.tags?["http.url"]?.hasSuffix("/hello") == true }, by: \.traceId)
        }
        #expect(poll(seconds: 20) { requestTraces().values.filter { Set($0.compactMap(\.localEndpoint?.serviceName)).count == 2 }.count == 3 },
                "spans: \(collector.spans)\nrejected: \(collector.rejected)")
        for (trace, spans) in requestTraces() {
            let services = Set(spans.compactMap(\.localEndpoint?.serviceName))
            #expect(services == ["ingressgateway", "http-echo-sidecar"], "trace \(trace): \(spans)")
            #expect(spans.allSatisfy { $0.tags?["team"] == "platform" }, "custom tag in \(spans)")
            // The sidecar's span continues the gateway's: its parent is the gateway's span.
            let gateway = spans.filter { $0.localEndpoint?.serviceName == "ingressgateway" }.map(\.id)
            #expect(spans.contains { $0.localEndpoint?.serviceName == "http-echo-sidecar" && gateway.contains($0.parentId ?? "") }, "\(spans)")
        }
    }
}
