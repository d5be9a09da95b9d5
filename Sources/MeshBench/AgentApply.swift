import AsyncHTTPClient
import Foundation
import MeshAgent
import MeshDiagnostics
import MeshCompile
import MeshPipeline
import MeshSnapshot

/// `MeshBench agent SAMPLE_DIR [--rounds N]`: time from `PUT /v1/snapshot`
/// to the agent's 200, against a real `meshc agent` and its Envoy.
///
/// Builds SAMPLE_DIR through the pipeline (listener 127.0.0.1:23080), starts
/// the `meshc agent` beside this binary (API 127.0.0.1:23991, Envoy admin
/// 23990), then alternates
/// - a one-route change (the route configuration gains or loses a response
///   header: one RDS file), and
/// - the whole config from empty (clusters, routes, listeners), each round
///   preceded by a PUT of the empty config (not timed).
enum AgentApply {
    static func run(sample: String, rounds: Int) async throws {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let meshc = bin.appendingPathComponent("meshc").path
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("meshc-bench-agent-\(getpid())")
        defer { try? FileManager.default.removeItem(at: work) }
        let proxy = "gateway-istio-ingressgateway"
        var options = CompileOptions()
        options.portOffset = 23000
        options.listenAddress = "127.0.0.1"
        options.proxies = [proxy]
        let pipeline = Pipeline(options: options)
        guard case .success(let build) = pipeline.build(try pipeline.lint(paths: [sample])), let full = build.proxies.first?.snapshot else {
            throw AgentIOError("\(sample) does not build a proxy \(proxy)")
        }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try "bench\n".write(to: work.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let agent = try launch(meshc, ["agent", "--proxy", proxy, "--state-dir", work.appendingPathComponent("state").path,
                                       "--admin-port", "23990", "--listen", "127.0.0.1:23991", "--concurrency", "1",
                                       "--token-file", work.appendingPathComponent("token").path, "--verbose"], quiet: ProcessInfo.processInfo.environment["MESHBENCH_AGENT_LOG"] == nil)
        defer { agent.terminate(); agent.waitUntilExit() }
        let client = AgentClient(base: "http://127.0.0.1:23991", token: "bench")
        var version: String?
        for _ in 0..<200 where version == nil {
            if let state = try? await client.state(), state.envoy.ready { version = state.snapshotVersion ?? "" }
            else { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        guard version != nil else { throw AgentIOError("meshc agent did not come up on 127.0.0.1:23991") }
        var current = try await apply(client, full, over: nil).1
        let empty = ProxySnapshot.empty(proxy: proxy)
        var routeTimes: [Double] = [], fullTimes: [Double] = []
        for _ in 0..<rounds {
            var (time, next) = try await apply(client, try withHeader(full), over: current)
            routeTimes.append(time)
            current = try await apply(client, empty, over: next).1
            (time, next) = try await apply(client, full, over: current)
            fullTimes.append(time)
            current = next
        }
        print("input: \(sample): \(full[.cluster].count) clusters, \(full[.route].count) route configurations, \(full[.listener].count) listeners")
        report("one-route change (RDS only)", routeTimes)
        report("whole config from empty (CDS, RDS, LDS)", fullTimes)
    }

    private static func apply(_ client: AgentClient, _ bundle: ProxySnapshot, over version: String?) async throws -> (Double, String) {
        let start = now()
        let result = try await client.put(bundle, ifMatch: version ?? "*")
        let time = now() - start
        guard case .applied(let state) = result else { throw AgentIOError("PUT \(bundle.version): \(result)") }
        return (time, state.snapshotVersion ?? "")
    }

    /// `snapshot` whose first route configuration carries one more response header.
    private static func withHeader(_ snapshot: ProxySnapshot) throws -> ProxySnapshot {
        guard let first = snapshot[.route].first else { return snapshot }
        let route = try first.json().replacing("response_headers_to_add", with: .array([.object(["header": .object(["key": .string("x-bench"), "value": .string("1")])])]))
        var resources = snapshot.resources
        resources[.route]![0] = try EnvoyResource(kind: .route, json: route)
        return ProxySnapshot(proxy: snapshot.proxy, resources: resources, references: snapshot.references)
    }

    private static func report(_ name: String, _ times: [Double]) {
        let sorted = times.sorted()
        let ms = { (value: Double) in String(format: "%.1f ms", value * 1000) }
        print("\(name): median \(ms(sorted[sorted.count / 2])), min \(ms(sorted[0])), max \(ms(sorted[sorted.count - 1])) over \(times.count)")
    }

    private static func launch(_ executable: String, _ arguments: [String], quiet: Bool = false) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if quiet { process.standardError = FileHandle.nullDevice }
        try process.run()
        return process
    }
}
