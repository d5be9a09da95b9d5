import Foundation
import MeshDiagnostics
import MeshEmit
import MeshIR
import Testing
@testable import MeshAgent

/// Bundles in and out, the agent's file layout, and reading Envoy's admin output.
@Suite struct SnapshotBundleTests {
    @Test func theCompilersBundleParsesWithTheCompilersVersions() throws {
        let proxy = ProxyConfig(
            name: "gw", role: .gateway, adminPort: 15000,
            listeners: [Listener(name: "127.0.0.1_8080", address: "127.0.0.1", port: 8080, routeConfigName: "http.80")],
            routeConfigs: [RouteConfig(name: "http.80", virtualHosts: [])],
            clusters: [Cluster(name: "outbound|80||foo.default.svc.cluster.local", endpoints: [Endpoint(address: "127.0.0.1", port: 9000)], discovery: .static)])
        let snapshot = Emitter.snapshot(proxy, options: EmitOptions(directory: "/build/gw"))
        let bundle = try SnapshotBundle(parsing: Data(snapshot.bundle().rendered(pretty: true).utf8))
        #expect(bundle.version == snapshot.snapshotVersion)
        #expect(bundle.clusters.resources.map(\.version) == snapshot.clusters.map(\.version))
        #expect(bundle.listeners.resources.map(\.version) == snapshot.listeners.map(\.version))
        #expect(bundle.routes.resources.map(\.version) == snapshot.routes.map(\.version))
        // The bundle's members are the files `meshc build` writes.
        let files = Dictionary(uniqueKeysWithValues: snapshot.files.map { ($0.name, $0.text) })
        #expect(bundle.clusters.json.rendered() + "\n" == files["clusters.json"])
        #expect(bundle.routes.json.rendered() + "\n" == files["routes.json"])
        // Re-rendering what was parsed gives the same bytes.
        #expect(try SnapshotBundle(parsing: Data(bundle.json.rendered().utf8)) == bundle)
    }

    @Test(arguments: [
        ("[1]", "must be a JSON object"),
        ("{", "not JSON"),
        (#"{"version": "v"}"#, "\"proxy\""),
        (#"{"proxy": "gw", "version": ""}"#, "\"version\""),
        (#"{"proxy": "gw", "version": "v"}"#, "\"clusters\" is missing"),
    ])
    func malformedBundlesAreRefusedWithTheReason(body: String, reason: String) {
        #expect {
            try SnapshotBundle(parsing: Data(body.utf8))
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }

    @Test func membersAreChecked() throws {
        var json = Fixture.bundle(clusters: ["a"], routeTo: "a").json
        func refused(_ change: (inout [String: JSON]) -> Void) -> String {
            guard case .object(var members) = json else { return "" }
            change(&members)
            do {
                _ = try SnapshotBundle(parsing: Data(JSON.object(members).rendered().utf8))
                return "accepted"
            } catch { return String(describing: error) }
        }
        #expect(refused { $0["clusters"] = .object(["version_info": .string("x"), "type_url": .string(Fixture.routeType), "resources": .array([])]) }
            .contains("clusters.type_url"))
        #expect(refused { $0["clusters"] = .object(["version_info": .string("x"), "resources": .array([Fixture.cluster("a", port: 1), Fixture.cluster("a", port: 2)])]) }
            .contains("two resources named a"))
        #expect(refused { $0["routes"] = .object(["version_info": .string("x"), "resources": .array([])]) }
            .contains("listener l80 names route configuration http.80"))
        json = .null
    }

    @Test(arguments: [
        ("http.80", "routes/http.80.json"),
        ("a/b c", "routes/a%2Fb%20c.json"),
        ("..", "routes/%2E..json"),
    ])
    func routeFilesStayInsideTheStateFolder(name: String, file: String) {
        #expect(DeliveryLayout.routeFile(name) == file)
    }

    @Test func bootstrapUsesPlainFilePathsAndLoopbackAdmin() throws {
        let text = DeliveryLayout(folder: "/state").bootstrap(proxy: "gw", adminPort: 15001)
        let json = try JSON.parse(Data(text.utf8))
        #expect(json["node"]?["id"]?.string == "gw")
        #expect(json["admin"]?["address"]?["socket_address"]?["address"]?.string == "127.0.0.1")
        #expect(json["dynamic_resources"]?["cds_config"]?["path_config_source"]?["path"]?.string == "/state/cds.json")
        #expect(json["dynamic_resources"]?["lds_config"]?["path_config_source"]?["path"]?.string == "/state/lds.json")
        #expect(!text.contains("watched_directory"))
    }
}

/// Envoy's admin output as measured on Envoy 1.40.
@Suite struct EnvoyReadoutTests {
    @Test func statsGiveVersionsAndCounters() {
        var readout = EnvoyReadout()
        readout.update(stats: """
            cluster_manager.cds.version_text: "c1"
            http.l80.rds.http.80.version_text: "r80"
            listener_manager.lds.version_text: "l1"
            cluster_manager.cds.update_failure: 0
            cluster_manager.cds.update_rejected: 2
            cluster_manager.cds.update_success: 1
            http.l80.rds.http.80.update_rejected: 1
            http.l81.rds.http.81.update_failure: 1
            listener_manager.lds.update_rejected: 0
            listener_manager.lds.update_success: 3
            """)
        #expect(readout.clusters == .init(version: "c1", success: 1, rejected: 2, failure: 0))
        #expect(readout.listeners == .init(version: "l1", success: 3))
        #expect(readout.routesRejected == 2)
    }

    @Test func configDumpsGiveRouteVersionsAndListenerErrors() throws {
        var readout = EnvoyReadout()
        readout.update(routeDump: try JSON.parse(Data(#"{"configs": [{"version_info": "r1", "route_config": {"name": "http.80"}}]}"#.utf8)))
        readout.update(listenerDump: try JSON.parse(Data("""
            {"configs": [{"name": "l80", "active_state": {"version_info": "l1"}},
                         {"name": "l82", "error_state": {"details": "cannot bind '127.0.0.1:23912': Address already in use", "last_update_attempt": "2026-11-26T20:21:19.370Z"}}]}
            """.utf8)))
        #expect(readout.routeVersions == ["http.80": "r1"])
        #expect(readout.activeListeners == ["l80": "l1"])
        #expect(readout.listenerErrors["l82"]?.details.contains("Address already in use") == true)
    }

    @Test func rejectionReasonsComeFromTheLogAcrossLines() {
        let log = """
            [2026-11-26 20:21:00.010][5130][warning][config] [filesystem_subscription_impl.cc:81] Filesystem config update rejected: Invalid duration: Expected positive duration: goo.gle/debugonly
            seconds: -1

            [2026-11-26 20:21:04.816][5130][warning][upstream] [cds_api_helper.cc:58] cds: cluster 'a' config rejected: cluster manager: no LB
            [2026-11-26 20:21:04.816][5130][warning][config] [filesystem_subscription_impl.cc:81] Filesystem config update rejected: Error adding/updating cluster(s) a: cluster manager: no LB
            """
        #expect(EnvoyReadout.rejections(inLog: log) == [
            "Invalid duration: Expected positive duration: goo.gle/debugonly seconds: -1",
            "Error adding/updating cluster(s) a: cluster manager: no LB",
        ])
    }
}
