import Foundation
import MeshDiagnostics
import MeshSnapshot
import Testing
@testable import MeshAgent

/// The agent's file layout, and reading Envoy's admin output.
@Suite struct DeliveryLayoutTests {
    @Test func listenersAreBoundToTheStateFoldersRouteFiles() throws {
        let snapshot = Fixture.bundle(clusters: ["a"], routeTo: "a")
        let file = Fixture.layout.listenersFile(snapshot)
        let lds = try JSON.parse(Data(file.text.utf8))
        let rds = lds["resources"]?.items.first?["filter_chains"]?.items.first?["filters"]?.items.first?["typed_config"]?["rds"]
        #expect(rds?["config_source"]?["path_config_source"]?["path"]?.text == "/state/routes/http.80.json")
        #expect(lds["version_info"]?.text == snapshot.versionInfo(.listener))
        #expect(Fixture.layout.routeFile(snapshot[.route][0]).path == "routes/http.80.json")
    }

    @Test func bootstrapUsesPlainFilePathsAndLoopbackAdmin() throws {
        let text = DeliveryLayout(folder: "/state").bootstrap(proxy: "gw", adminPort: 15001)
        let json = try JSON.parse(Data(text.utf8))
        #expect(json["node"]?["id"]?.text == "gw")
        #expect(json["admin"]?["address"]?["socket_address"]?["address"]?.text == "127.0.0.1")
        #expect(json["dynamic_resources"]?["cds_config"]?["path_config_source"]?["path"]?.text == "/state/cds.json")
        #expect(json["dynamic_resources"]?["lds_config"]?["path_config_source"]?["path"]?.text == "/state/lds.json")
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
        #expect(readout.routeVersions == ["http.80": "r80"])
    }

    @Test func routeVersionsComeFromRDSVersionStats() {
        var readout = EnvoyReadout()
        readout.update(stats: """
            http.0.0.0.0_443.rds.https.443.https.edge.default.version_text: "r443"
            http.127.0.0.1_15001.rds.inbound|9080||.version_text: "in"
            http.0.0.0.0_15001.rds.outbound.version_text: ""
            http.0.0.0.0_80.rds.http.80.update_success: 1
            cluster_manager.cds.version_text: "c1"
            """)
        #expect(readout.routeVersions == ["https.443.https.edge.default": "r443", "inbound|9080||": "in"],
                "an empty version_text is a subscription that has loaded nothing yet")
    }

    @Test func listenerDumpsGiveListenerVersionsAndErrors() throws {
        var readout = EnvoyReadout()
        readout.update(listenerDump: try JSON.parse(Data("""
            {"configs": [{"name": "l80", "active_state": {"version_info": "l1"}},
                         {"name": "l82", "error_state": {"details": "cannot bind '127.0.0.1:23912': Address already in use", "last_update_attempt": "2026-11-26T20:21:19.370Z"}}]}
            """.utf8)))
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
