import Foundation
import MeshDiagnostics
import MeshEmit
import MeshPlan
import Testing

/// The text and JSON forms of a plan, as exact strings; the constructors of `ProxyResources`.
@Suite struct PlanOutputTests {
    static let old = Mesh.resource(.route, "r", 1), new = Mesh.resource(.route, "r", 2)

    static let plan = Planner.plan(
        desired: [
            ProxyResources(proxy: "gw", clusters: [Mesh.resource(.cluster, "a"), Mesh.resource(.cluster, "b")], routes: [new]),
            ProxyResources(proxy: "new", endpoints: [Mesh.resource(.endpoint, "e")]),
            ProxyResources(proxy: "same", clusters: [Mesh.resource(.cluster, "a")]),
        ],
        running: [
            ProxyResources(proxy: "gw", clusters: [Mesh.resource(.cluster, "a")], routes: [old]),
            ProxyResources(proxy: "old", listeners: [Mesh.resource(.listener, "l")]),
            ProxyResources(proxy: "same", clusters: [Mesh.resource(.cluster, "a")]),
        ])

    @Test func textListsChangedProxiesAndTheSummary() {
        #expect(Self.plan.text() == """
            proxy gw:
              + cluster b
              ~ route r
                  n: 1 → 2

            proxy new (new):
              + endpoints e
                  endpoints of e: (none)

            proxy old (removed):
              - listener l

            Plan: 2 to create, 1 to update, 1 to delete (3 proxies changed).

            """)
        let unchanged = Planner.plan(desired: [ProxyResources(proxy: "same", clusters: [Mesh.resource(.cluster, "a")])],
                                     running: [ProxyResources(proxy: "same", clusters: [Mesh.resource(.cluster, "a")])])
        #expect(unchanged.text() == "No changes.\n")
    }

    @Test func jsonListsEveryProxyWithSortedKeys() throws {
        let b = Mesh.resource(.cluster, "b").version, e = Mesh.resource(.endpoint, "e").version, l = Mesh.resource(.listener, "l").version
        #expect(Self.plan.json().rendered() == """
            {"has_changes":true,"proxies":[\
            {"action":"update","changes":[\
            {"action":"create","desired_version":"\(b)","details":[],"name":"b","type":"cluster"},\
            {"action":"update","desired_version":"\(Self.new.version)","details":["n: 1 → 2"],"name":"r","running_version":"\(Self.old.version)","type":"route"}\
            ],"proxy":"gw","unchanged":1},\
            {"action":"create","changes":[{"action":"create","desired_version":"\(e)","details":["endpoints of e: (none)"],"name":"e","type":"endpoints"}],"proxy":"new","unchanged":0},\
            {"action":"delete","changes":[{"action":"delete","details":[],"name":"l","running_version":"\(l)","type":"listener"}],"proxy":"old","unchanged":0},\
            {"action":"unchanged","changes":[],"proxy":"same","unchanged":1}\
            ],"summary":{"create":2,"delete":1,"proxies_changed":3,"unchanged":2,"update":1}}
            """)
        #expect(Self.plan.jsonText().hasSuffix("}\n"))
        #expect(try JSON.parse(Self.plan.jsonText()) == Self.plan.json())
    }

    /// A build folder read back gives the versions the emitter gave, and its
    /// DiscoveryResponses recompute to the same `version_info`.
    @Test func buildFolderVersionsMatchTheEmitter() throws {
        let golden = Mesh.repo.appendingPathComponent("Tests/MeshCompileTests/Golden/s3-weighted")
        let proxies = try ProxyResources.buildFolder(golden.path)
        #expect(proxies.map(\.proxy) == ["gateway-istio-ingressgateway", "mesh"])
        let folder = golden.appendingPathComponent("gateway-istio-ingressgateway")
        for type in EnvoyResourceType.allCases {
            let file = try JSON.parse(Data(contentsOf: folder.appendingPathComponent(type.fileName)))
            #expect(proxies[0][type].count > 0)
            #expect(type.response(proxies[0][type]) == file, "\(type.fileName)")
        }
    }

    @Test func bundlesRoundTripAndBadInputIsNamed() throws {
        let proxy = Mesh.gateway(Mesh.echo(http: Mesh.pathRouting))
        let bundle = proxy.bundle(version: "v7")
        #expect(try ProxyResources(bundle: JSON.parse(bundle.rendered())) == proxy)
        #expect(ProxyResources.bundleVersion(bundle) == "v7")
        #expect(throws: PlanInputError("snapshot bundle: expected an object with a string `proxy`")) { try ProxyResources(bundle: .array([])) }
        let wrongType = JSON.object(["proxy": .string("p"), "routes": EnvoyResourceType.cluster.response([])])
        #expect(throws: PlanInputError("snapshot bundle of p (routes.json): type_url is \"\(EnvoyResourceType.cluster.typeURL)\", expected \"\(EnvoyResourceType.route.typeURL)\"")) {
            try ProxyResources(bundle: wrongType)
        }
        let twice = JSON.object(["proxy": .string("p"), "clusters": .object(["resources": .array([
            .object(["name": .string("a")]), .object(["name": .string("a")]),
        ])])])
        #expect(throws: PlanInputError("snapshot bundle of p (clusters.json): two resources named a")) { try ProxyResources(bundle: twice) }
        let unnamed = JSON.object(["proxy": .string("p"), "endpoints": .object(["resources": .array([.object(["name": .string("a")])])])])
        #expect(throws: PlanInputError("snapshot bundle of p (endpoints.json): resources[0] has no string `cluster_name`")) { try ProxyResources(bundle: unnamed) }
    }

    @Test func aFolderWithABrokenFileNamesTheFileAndTheByte() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("gw")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{\"resources\": [}".utf8).write(to: folder.appendingPathComponent("clusters.json"))
        #expect(throws: PlanInputError("\(folder.path)/clusters.json: invalid JSON at byte 15: expected a value, found `}`")) {
            try ProxyResources.buildFolder(root.path)
        }
        #expect(throws: PlanInputError("\(root.path)/nope: no such folder (expected the output of `meshc build --out \(root.path)/nope`)")) {
            try ProxyResources.buildFolder(root.appendingPathComponent("nope").path)
        }
    }
}
