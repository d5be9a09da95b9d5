import Foundation
import MeshDiagnostics
import MeshSnapshot
import Testing
@testable import MeshAgent

/// The agent's snapshot policy on hand-written hostile bundles, and on
/// everything meshc itself compiles (the compiler's goldens).
@Suite struct SnapshotPolicyTests {
    static let state = "/var/lib/meshc/gw"
    static let policy = SnapshotPolicy(fileRoots: SnapshotPolicy.stateRoots(state), adminPort: 15000, agentPort: 15100)
    static let lua = "type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua"
    static let luaPerRoute = "type.googleapis.com/envoy.extensions.filters.http.lua.v3.LuaPerRoute"
    static let fileLog = "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog"
    static let manager = "listeners[ingress-80].filter_chains[0].filters[0].typed_config"
    static let route = "routes[http.80].virtual_hosts[0].routes[0]"

    @Test func meshcsOwnBundleIsAccepted() throws {
        #expect(Self.policy.violations(in: try HostileBundle.snapshot()).isEmpty)
    }

    @Test func aLuaHTTPFilterIsRefusedUnlessTheOperatorAllowsIt() throws {
        let snapshot = try HostileBundle.snapshot(httpFilters: [#"{"name":"envoy.filters.http.lua","typed_config":{"@type":"\#(Self.lua)","default_source_code":{"inline_string":"function envoy_on_request(h) end"}}}"#])
        let violations = Self.policy.violations(in: snapshot)
        #expect(violations.map(\.field) == ["\(Self.manager).http_filters[0].typed_config.@type"])
        #expect(violations.first?.kind == .extension && violations.first?.resource == "listener ingress-80")
        #expect(violations.first?.fix == "start the agent with --allow-extension \(Self.lua) to permit it")
        var allowing = Self.policy
        allowing.allowExtensions = [Self.lua]
        #expect(allowing.violations(in: snapshot).isEmpty)
    }

    @Test func aStatPrefixThatWouldHideRouteVersionsIsRefused() throws {
        let hiding = try HostileBundle.snapshot(statPrefix: "x.rds.http.80")
        let violations = Self.policy.violations(in: hiding)
        #expect(violations.map(\.field) == ["\(Self.manager).stat_prefix"])
        #expect(violations.first?.kind == .statPrefix)
        #expect(Self.policy.violations(in: try HostileBundle.snapshot(statPrefix: "0.0.0.0_80")).isEmpty)
    }

    @Test func luaInTypedPerFilterConfigIsRefused() throws {
        let snapshot = try HostileBundle.snapshot(routeExtra: #","typed_per_filter_config":{"envoy.filters.http.lua":{"@type":"\#(Self.luaPerRoute)","source_code":{"inline_string":"x"}}}"#)
        #expect(Self.policy.violations(in: snapshot).map(\.field) == [#"\#(Self.route).typed_per_filter_config["envoy.filters.http.lua"].@type"#])
        var allowing = Self.policy
        allowing.allowExtensions = [Self.luaPerRoute]
        #expect(allowing.violations(in: snapshot).isEmpty)
    }

    @Test func anExtensionWithoutConfigOrOutsideTheListIsRefused() throws {
        let unnamed = try HostileBundle.snapshot(httpFilters: [#"{"name":"envoy.filters.http.ext_proc"}"#])
        #expect(Self.policy.violations(in: unnamed).map(\.field) == ["\(Self.manager).http_filters[0].name"])
        // ECDS: the type it would accept, and where it would fetch it from.
        let discovered = try HostileBundle.snapshot(httpFilters: [#"{"name":"x","config_discovery":{"config_source":{"api_config_source":{"api_type":"GRPC"}},"type_urls":["\#(Self.lua)"]}}"#])
        #expect(Self.policy.violations(in: discovered).map(\.field) == [
            "\(Self.manager).http_filters[0].config_discovery.type_urls[0]",
            "\(Self.manager).http_filters[0].config_discovery.config_source.api_config_source",
        ])
        let nulled = try HostileBundle.snapshot(httpFilters: [#"{"name":"envoy.filters.http.lua","typed_config":null}"#])
        #expect(Self.policy.violations(in: nulled).map(\.field) == ["\(Self.manager).http_filters[0].name"], "null is no config")
        let wrapped = try HostileBundle.snapshot(httpFilters: [#"{"name":"w","typed_config":{"@type":"type.googleapis.com/xds.type.v3.TypedStruct","type_url":"\#(Self.lua)"}}"#])
        #expect(Self.policy.violations(in: wrapped).count == 1)
    }

    @Test func fileDataSourcesOutsideTheRootsAndEnvironmentVariablesAreRefused() throws {
        let shadow = try HostileBundle.snapshot(routeAction: #""direct_response":{"body":{"filename":"/etc/shadow"},"status":200}"#)
        let violations = Self.policy.violations(in: shadow)
        #expect(violations.map(\.field) == ["\(Self.route).direct_response.body.filename"])
        #expect(violations.first?.kind == .file)
        #expect(violations.first?.fix.contains("--allow-file-root") == true)
        let environment = try HostileBundle.snapshot(routeAction: #""direct_response":{"body":{"environment_variable":"MESHC_TOKEN"},"status":200}"#)
        #expect(Self.policy.violations(in: environment).map(\.kind) == [.environment])
        let formatter = try HostileBundle.snapshot(routeExtra: #","response_headers_to_add":[{"header":{"key":"x","value":"%ENVIRONMENT(HOME)%"}}]"#)
        #expect(Self.policy.violations(in: formatter).map(\.field) == ["\(Self.route).response_headers_to_add[0].header.value"])
        let certificate = try HostileBundle.snapshot(routeAction: #""direct_response":{"body":{"filename":"\#(Self.state)/certs/page.html"},"status":200}"#)
        #expect(Self.policy.violations(in: certificate).isEmpty)
    }

    @Test func aFileAccessLogMustStayUnderTheLogRoot() throws {
        // meshc emits file access logs (Telemetry); the path is what the policy judges.
        func log(_ path: String) throws -> ProxySnapshot {
            try HostileBundle.snapshot(managerExtra: #""access_log":[{"name":"envoy.access_loggers.file","typed_config":{"@type":"\#(Self.fileLog)","path":"\#(path)"}}],"#)
        }
        #expect(Self.policy.violations(in: try log("/tmp/meshc-owned.log")).map(\.field) == ["\(Self.manager).access_log[0].typed_config.path"])
        #expect(Self.policy.violations(in: try log("\(Self.state)/logs/access.log")).isEmpty)
        // Envoy's own output is the stream loggers' (what meshc emits); a file logger would reopen it by path.
        #expect(Self.policy.violations(in: try log("/dev/stdout")).map(\.kind) == [.file])
    }

    @Test(arguments: [
        "/var/lib/meshc/gw/logs/../../../../etc/passwd", "logs/access.log", "/var/lib/meshc/gw/logs-evil/a.log",
        "/var/lib/meshc/gw", "/var/lib/meshc/gw/bootstrap.json", "meshc:routes/../../x",
    ])
    func pathsAreComparedByComponentAfterRefusingTraversal(path: String) {
        #expect(!Self.policy.allowsFile(path))
    }

    @Test func pathsUnderARootAreAllowedWhateverTheirSpelling() {
        #expect(Self.policy.allowsFile("/var/lib/meshc/gw/logs/a.log"))
        #expect(Self.policy.allowsFile("/var/lib/meshc//gw/./certs/ca.pem"))
        var operatorRoot = Self.policy
        operatorRoot.fileRoots.append("/etc/meshc/test-certs")
        #expect(operatorRoot.allowsFile("/etc/meshc/test-certs/cert.pem"))
    }

    @Test func configSourcePathsAreChecked() throws {
        let watched = try HostileBundle.snapshot(httpFilters: [#"{"name":"x","config_discovery":{"config_source":{"path_config_source":{"path":"/tmp/f.json","watched_directory":{"path":"/tmp"}}},"type_urls":["type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault"]}}"#])
        #expect(Self.policy.violations(in: watched).map(\.field) == [
            "\(Self.manager).http_filters[0].config_discovery.config_source.path_config_source.path",
            "\(Self.manager).http_filters[0].config_discovery.config_source.path_config_source.watched_directory.path",
        ])
    }

    @Test func routeMatchesAndCookiesMayUseThePathKey() throws {
        let snapshot = try HostileBundle.snapshot(
            match: #"{"path":"/etc/shadow"}"#,
            routeAction: #""route":{"cluster":"backend","hash_policy":[{"cookie":{"name":"c","path":"../x"}}],"prefix_rewrite":"/"}"#)
        #expect(Self.policy.violations(in: snapshot).isEmpty)
    }

    @Test(arguments: ["127.0.0.1", "127.8.9.10", "localhost", "0.0.0.0", "::1", "::", "[::1]", "::ffff:127.0.0.1", "::ffff:0.0.0.0", "0:0:0:0:0:0:0:1", "127.1", "admin.example.com"])
    func aClusterOnTheAdminPortIsRefused(address: String) throws {
        let violations = Self.policy.violations(in: try HostileBundle.snapshot(clusterAddress: address, clusterPort: 15000))
        #expect(violations.map(\.field) == ["clusters[backend].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address"])
        #expect(violations.first?.reason.contains("Envoy's admin API") == true)
    }

    @Test func otherPortsAndNonLoopbackAddressesAreFine() throws {
        #expect(Self.policy.violations(in: try HostileBundle.snapshot(clusterAddress: "10.1.2.3", clusterPort: 15000)).isEmpty)
        #expect(Self.policy.violations(in: try HostileBundle.snapshot(clusterAddress: "127.0.0.1", clusterPort: 15001)).isEmpty)
        #expect(Self.policy.violations(in: try HostileBundle.snapshot(clusterAddress: "backend.example.com", clusterPort: 80)).isEmpty)
    }

    @Test func aListenerOnTheAgentsPortIsRefused() throws {
        let violations = Self.policy.violations(in: try HostileBundle.snapshot(listenerAddress: "0.0.0.0", listenerPort: 15100))
        #expect(violations.map(\.field) == ["listeners[ingress-80].address.socket_address"])
        #expect(violations.first?.reason.contains("the agent's own API") == true)
        #expect(Self.policy.violations(in: try HostileBundle.snapshot(listenerAddress: "::ffff:127.0.0.2", listenerPort: 15000)).count == 1)
    }

    @Test func pipeAddressesAndOriginalDestinationClustersAreRefused() throws {
        let pipe = try HostileBundle.snapshot(clusterSocket: #"{"pipe":{"path":"/var/run/docker.sock"}}"#)
        #expect(Self.policy.violations(in: pipe).map(\.field) == ["clusters[backend].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.pipe"])
        let original = try HostileBundle.snapshot(clusterType: #""ORIGINAL_DST""#)
        #expect(Self.policy.violations(in: original).map(\.kind) == [.clusterType])
        #expect(Self.policy.violations(in: try HostileBundle.snapshot(clusterType: "4")).map(\.field) == ["clusters[backend].type"], "ORIGINAL_DST by number")
        #expect(Self.policy.violations(in: try HostileBundle.snapshot(clusterType: #""STRICT_DNS""#)).isEmpty)
    }

    @Test func theReasonNamesTheFieldsInOrderOnOneLine() throws {
        let snapshot = try HostileBundle.snapshot(
            httpFilters: [#"{"name":"envoy.filters.http.lua","typed_config":{"@type":"\#(Self.lua)"}}"#],
            routeAction: #""direct_response":{"body":{"filename":"/etc/shadow"},"status":200}"#, clusterAddress: "localhost", clusterPort: 15000)
        let violations = Self.policy.violations(in: snapshot)
        #expect(violations.map(\.kind) == [.address, .extension, .file], "clusters, listeners, routes: Envoy's order")
        #expect(violations == Self.policy.violations(in: snapshot))
        let reason = SnapshotPolicy.reason(violations)
        #expect(reason.hasPrefix("policy: clusters[backend].load_assignment"))
        #expect(reason.contains("\(Self.route).direct_response.body.filename: file /etc/shadow is outside the allowed roots"))
        #expect(!reason.contains("\n"))
        #expect(SnapshotPolicy.reason(violations, limit: 1).hasSuffix("; and 2 more"))
    }

    /// Everything the compiler's goldens hold (TLS, CORS, faults, retries,
    /// protocol options, sidecars…) passes with the certificate folder they
    /// name allowed and each proxy's own admin port.
    @Test func everyCompiledGoldenPasses() throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MeshCompileTests/Golden")
        var checked = 0
        for folder in try FileManager.default.subpathsOfDirectory(atPath: golden.path) where folder.hasSuffix("/listeners.json") {
            let proxyFolder = golden.appendingPathComponent(folder).deletingLastPathComponent()
            let responses = try BuildFolderFiles.responses(proxyFolder) { try JSON.parse(Data(contentsOf: URL(fileURLWithPath: $0))) }
            let bootstrap = try JSON.parse(Data(contentsOf: proxyFolder.appendingPathComponent("bootstrap.json")))
            let admin = bootstrap["admin"]?["address"]?["socket_address"]?["port_value"]
            guard case .int(let adminPort)? = admin else { Issue.record("\(folder): no admin port"); continue }
            let snapshot = try ProxySnapshot(proxy: proxyFolder.lastPathComponent, responses: responses, origin: folder)
            // Mesh mTLS secret files are bound to the proxy's own folder (`meshc build --out /var/lib/meshc`).
            var policy = SnapshotPolicy(fileRoots: SnapshotPolicy.stateRoots("/var/lib/meshc/\(proxyFolder.lastPathComponent)") + ["/etc/meshc/test-certs"],
                                        adminPort: adminPort)
            #expect(policy.violations(in: snapshot).isEmpty, "\(folder): \(policy.violations(in: snapshot))")
            policy.fileRoots = []
            if folder.contains("tls") { #expect(policy.violations(in: snapshot).allSatisfy { $0.kind == .file }) }
            checked += 1
        }
        #expect(checked >= 15)
    }
}

/// A hand-written bundle in meshc's shape (listener `ingress-80` → route
/// `http.80` → cluster `backend`), with hostile parts spliced in.
private enum HostileBundle {
    static func snapshot(
        httpFilters: [String] = [], managerExtra: String = "", statPrefix: String = "ingress",
        listenerAddress: String = "0.0.0.0", listenerPort: Int = 8080,
        match: String = #"{"prefix":"/"}"#, routeAction: String = #""route":{"cluster":"backend"}"#, routeExtra: String = "",
        clusterAddress: String = "127.0.0.1", clusterPort: Int = 9000, clusterSocket: String? = nil, clusterType: String = #""STATIC""#
    ) throws -> ProxySnapshot {
        let filters = (httpFilters + [#"{"name":"envoy.filters.http.router","typed_config":{"@type":"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}"#])
            .joined(separator: ",")
        let listener = #"""
            {"@type":"type.googleapis.com/envoy.config.listener.v3.Listener","name":"ingress-80",
             "address":{"socket_address":{"address":"\#(listenerAddress)","port_value":\#(listenerPort)}},
             "filter_chains":[{"filters":[{"name":"envoy.filters.network.http_connection_manager","typed_config":{
               "@type":"type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
               \#(managerExtra)"http_filters":[\#(filters)],"stat_prefix":"\#(statPrefix)",
               "rds":{"route_config_name":"http.80","config_source":{"path_config_source":{"path":"/anywhere/routes.json"},"resource_api_version":"V3"}}}}]}]}
            """#
        let route = #"""
            {"@type":"type.googleapis.com/envoy.config.route.v3.RouteConfiguration","name":"http.80",
             "virtual_hosts":[{"name":"all","domains":["*"],"routes":[{"match":\#(match),\#(routeAction)\#(routeExtra)}]}]}
            """#
        let socket = clusterSocket ?? #"{"socket_address":{"address":"\#(clusterAddress)","port_value":\#(clusterPort)}}"#
        let cluster = #"""
            {"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"backend","type":\#(clusterType),"connect_timeout":"1s",
             "load_assignment":{"cluster_name":"backend","endpoints":[{"lb_endpoints":[{"endpoint":{"address":\#(socket)}}]}]}}
            """#
        let bundle = #"""
            {"proxy":"gw","clusters":{"resources":[\#(cluster)]},"endpoints":{"resources":[]},
             "listeners":{"resources":[\#(listener)]},"routes":{"resources":[\#(route)]}}
            """#
        return try ProxySnapshot(bundle: Array(bundle.utf8))
    }
}
