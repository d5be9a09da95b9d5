import Foundation
import MeshCompile
import MeshDiagnostics
import MeshPipeline
import MeshSnapshot
import MeshSource
import MeshTestSupport
import Testing
@testable import MeshAgent

/// The agent's token is not root: the real `meshc agent` refuses hostile
/// bundles with 422 naming the field, and nothing reaches its state folder or Envoy.
@Suite(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing))
struct AgentPolicyTests {
    typealias M = ScenarioManifests

    @Test func hostileBundlesAreRefusedAndNothingIsWritten() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let (agent, good, listener) = try Self.servingFoo(bed)
        let v1 = try #require(good["version"]?.text)
        #expect(poll(seconds: 5) { (try? HTTPConnection.get(port: listener, "/").text) == "foo\n" }, "\(agent.context)")
        let listenerName = try #require(good["listeners"]?["resources"]?.items.first?["name"]?.text)
        let clusterName = try #require(good["clusters"]?["resources"]?.items.first?["name"]?.text)
        let files = try Self.deliveryFiles(agent.stateDirectory)
        // Parsed: Envoy lists its bootstrap's metadata in no fixed order.
        let dump = try JSON.parse(HTTPConnection.get(port: agent.adminPort, "/config_dump").body)
        let stolen = bed.folder.appendingPathComponent("owned.log").path

        let manager: [Step] = ["listeners", "resources", 0, "filter_chains", 0, "filters", 0, "typed_config"]
        let firstRoute: [Step] = ["routes", "resources", 0, "virtual_hosts", 0, "routes", 0]
        let endpoint: [Step] = ["clusters", "resources", 0, "load_assignment", "endpoints", 0, "lb_endpoints", 0, "endpoint", "address", "socket_address"]
        let lua = try JSON.parse(#"{"name":"envoy.filters.http.lua","typed_config":{"@type":"type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua","default_source_code":{"inline_string":"function envoy_on_request(h) h:respond({[\":status\"]=\"200\"}, io.open(\"/etc/passwd\"):read(\"*a\")) end"}}}"#)
        let fileLog = try JSON.parse(#"[{"name":"envoy.access_loggers.file","typed_config":{"@type":"type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog","path":"\#(stolen)"}}]"#)
        let hostile: [(name: String, bundle: JSON, field: String)] = [
            ("a Lua filter", Self.edit(good, manager + ["http_filters"]) { .array([lua] + $0.items) },
             "listeners[\(listenerName)].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.@type"),
            ("/etc/shadow as a response body",
             Self.edit(good, firstRoute) { $0.removing("route").replacing("direct_response", with: try! JSON.parse(#"{"status":200,"body":{"filename":"/etc/shadow"}}"#)) },
             "routes[http.80].virtual_hosts[0].routes[0].direct_response.body.filename"),
            ("a file access log outside the log root", Self.edit(good, manager) { $0.replacing("access_log", with: fileLog) },
             "listeners[\(listenerName)].filter_chains[0].filters[0].typed_config.access_log[0].typed_config.path"),
            ("a cluster on Envoy's admin port",
             Self.edit(good, endpoint) { $0.replacing("port_value", with: .int(agent.adminPort)).replacing("address", with: .string("127.0.0.1")) },
             "clusters[\(clusterName)].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address"),
        ]
        for (name, bundle, field) in hostile {
            let response = try agent.put(bundle, ifMatch: v1)
            #expect(response.status == 422, "\(name): \(response.text)\n\(agent.context)")
            let body = try JSON.parse(response.body)
            #expect(body["error"]?.text == "invalid", "\(name): \(response.text)")
            let reason = body["reason"]?.text ?? ""
            #expect(reason.hasPrefix("policy: ") && reason.contains(field + ":"), "\(name): \(reason)")
            #expect(try Self.deliveryFiles(agent.stateDirectory) == files, "\(name): the state folder changed")
            #expect(try JSON.parse(HTTPConnection.get(port: agent.adminPort, "/config_dump").body) == dump, "\(name): Envoy's config changed")
            #expect(try agent.state().snapshotVersion == v1, "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: stolen))
        #expect(try HTTPConnection.get(port: listener, "/").text == "foo\n", "the good config still serves\n\(agent.context)")
        // The policy comes before the precondition: even a stale writer learns why.
        #expect(try agent.put(hostile[0].bundle, ifMatch: "older").status == 422)
    }

    /// A route field the agent has no protobuf form for (`RouteBinary`) is refused
    /// like a policy violation, naming the field and `--route-format json`; nothing is written.
    @Test func aRouteFieldWithoutABinaryFormIsRefusedAndNothingIsWritten() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let (agent, good, listener) = try Self.servingFoo(bed)
        let v1 = try #require(good["version"]?.text)
        let files = try Self.deliveryFiles(agent.stateDirectory)
        let action: [Step] = ["routes", "resources", 0, "virtual_hosts", 0, "routes", 0, "route"]
        let unknown = Self.edit(good, action) { $0.replacing("internal_redirect_policy", with: .object(["max_internal_redirects": .int(3)])) }
        let response = try agent.put(unknown, ifMatch: v1)
        #expect(response.status == 422, "\(response.text)\n\(agent.context)")
        let reason = try JSON.parse(response.body)["reason"]?.text ?? ""
        #expect(reason.contains("virtual_hosts[0].routes[0].route.internal_redirect_policy") && reason.contains("--route-format json"), "\(reason)")
        #expect(try Self.deliveryFiles(agent.stateDirectory) == files, "the state folder changed")
        #expect(try agent.state().snapshotVersion == v1)
        #expect(try HTTPConnection.get(port: listener, "/").text == "foo\n", "the good config still serves\n\(agent.context)")
    }

    /// Envoy takes an inotify instance per route configuration file and
    /// aborts when its user has none left (128 by default): a bundle needing
    /// more than the host's whole limit, or than the agent's
    /// `--max-watched-files`, is refused before anything is written, and
    /// Envoy keeps serving (without `WatchCheck` the first bundle kills Envoy).
    @Test func aBundleNeedingMoreFileWatchesThanTheHostHasIsRefusedAndEnvoyLives() throws {
        let bed = try TestBed()
        defer { bed.shutdown() }
        let (agent, good, listener) = try Self.servingFoo(bed, arguments: ["--max-watched-files", "300"])
        let limit = try #require(WatchCheck.userLimit())
        // More route files than the user may ever hold: refused whatever other processes hold or let go meanwhile.
        // (A host with the limit raised far would need thousands: not this test's work.)
        if limit <= 250 {
            let reason = try Self.refusedRoutes(limit, agent, good, listener)
            #expect(reason.contains("fs.inotify.max_user_instances = \(limit)") && reason.contains("nothing was written"), "\(reason)")
        }
        let reason = try Self.refusedRoutes(300, agent, good, listener)
        #expect(reason.contains("over the agent's --max-watched-files 300") && reason.contains("nothing was written"), "\(reason)")
    }

    /// Puts `good` with `count` more route configurations, one per filter
    /// chain of its listener, and checks it is refused and nothing changed: the reason.
    static func refusedRoutes(_ count: Int, _ agent: AgentProcess, _ good: JSON, _ listener: Int) throws -> String {
        let v1 = try #require(good["version"]?.text)
        let files = try deliveryFiles(agent.stateDirectory)
        let chain = try #require(good["listeners"]?["resources"]?.items.first?["filter_chains"]?.items.first)
        let route = try #require(good["routes"]?["resources"]?.items.first)
        // One listener, a chain per destination port, each reading a route configuration of its own.
        let chains: [JSON] = (0..<count).map { i in
            edit(chain, ["filters", 0, "typed_config"]) { $0.replacing("rds", with: RouteSource.rds("w\(i)")) }
                .removing("version").replacing("filter_chain_match", with: .object(["destination_port": .int(20_000 + i)]))
        }
        var many = edit(good, ["listeners", "resources", 0, "filter_chains"]) { .array($0.items + chains) }
        many = edit(many, ["routes", "resources"]) { .array($0.items + (0..<count).map { route.replacing("name", with: .string("w\($0)")) }) }
        let response = try agent.put(many, ifMatch: v1)
        #expect(response.status == 422, "\(response.status) \(response.text.prefix(500))\n\(agent.context)")
        #expect(try deliveryFiles(agent.stateDirectory) == files, "the state folder changed")
        #expect(try agent.state().snapshotVersion == v1)
        #expect(try agent.state().envoy.restarts == 0, "Envoy restarted\n\(agent.context)")
        #expect(try HTTPConnection.get(port: listener, "/").text == "foo\n", "the good config still serves\n\(agent.context)")
        return try JSON.parse(response.body)["reason"]?.text ?? ""
    }

    /// An agent whose Envoy serves `foo` on `listener` from the applied bundle `good`.
    static func servingFoo(_ bed: TestBed, arguments: [String] = []) throws -> (agent: AgentProcess, good: JSON, listener: Int) {
        let foo = try bed.echo(text: "foo")
        let listener = try Ports.free()
        let good = try bed.bundle(M.join([M.gateway, M.serviceWithWorkload("http-echo-foo", port: foo.port),
                                          M.virtualService(http: "  - route:\n\(M.destination("http-echo-foo"))")]),
                                  listenerPort: listener)
        let agent = try bed.agent(arguments: arguments)
        try #require(try agent.put(good, ifMatch: nil).status == 200, "\(agent.context)")
        return (agent, good, listener)
    }

    /// One step into a JSON value: a member or an index.
    enum Step: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case member(String), index(Int)
        init(stringLiteral value: String) { self = .member(value) }
        init(integerLiteral value: Int) { self = .index(value) }
    }

    /// `bundle` with the value at `path` changed by `change`, and no `version` (the agent hashes the content).
    static func edit(_ bundle: JSON, _ path: [Step], _ change: (JSON) -> JSON) -> JSON {
        func apply(_ value: JSON, _ rest: ArraySlice<Step>) -> JSON {
            guard let step = rest.first else { return change(value) }
            switch (step, value) {
            case (.member(let key), .object(var members)):
                members[key] = apply(members[key] ?? .null, rest.dropFirst())
                return .object(members)
            case (.index(let index), .array(var items)) where items.indices.contains(index):
                items[index] = apply(items[index], rest.dropFirst())
                return .array(items)
            default:
                return value
            }
        }
        return apply(bundle, path[...]).removing("version")
    }

    /// Every file of the agent's state folder but Envoy's log, by relative path.
    static func deliveryFiles(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where path != "envoy.log" {
            var directory: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &directory), !directory.boolValue else { continue }
            out[path] = try Data(contentsOf: url)
        }
        return out
    }
}

/// Every bundle meshc compiles from `samples/` passes the policy its agent
/// would apply (the proxy's admin port, its agent's port), and its route
/// configurations have the protobuf form the agent writes. No Envoy needed.
struct SamplePolicyTests {
    @Test func everySampleBundlePassesThePolicyAndHasBinaryRoutes() throws {
        let samples = Repository.url("samples").path
        let folders = try FileManager.default.subpathsOfDirectory(atPath: samples)
            .filter { $0.hasSuffix("/proxies.yaml") || $0 == "proxies.yaml" }
            .map { ($0 as NSString).deletingLastPathComponent }.sorted()
        #expect(folders.count >= 10, "\(folders)")
        for folder in folders {
            let pipeline = Pipeline()
            let report = try pipeline.lint(SourceSnapshot.directory(samples, under: folder))
            guard case .success(let build) = pipeline.build(report) else { Issue.record("\(folder) does not build"); continue }
            let configs = Dictionary(build.compiled.proxies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(!build.proxies.isEmpty, "\(folder)")
            for proxy in build.proxies {
                let config = try #require(configs[proxy.proxy])
                let agentPort = config.agentAddress.flatMap { $0.split(separator: ":").last.flatMap { Int($0) } }
                let policy = SnapshotPolicy(fileRoots: SnapshotPolicy.stateRoots("/var/lib/meshc/\(proxy.proxy)"),
                                            adminPort: config.adminPort, agentPort: agentPort)
                let violations = policy.violations(in: proxy.snapshot)
                #expect(violations.isEmpty, "\(folder) \(proxy.proxy): \(violations)")
                #expect(DeliveryLayout(folder: "/var/lib/meshc/\(proxy.proxy)").unwritableRoute(in: proxy.snapshot, over: nil) == nil, "\(folder) \(proxy.proxy)")
            }
        }
    }
}
