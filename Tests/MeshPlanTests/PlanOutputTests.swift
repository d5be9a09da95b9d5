import Foundation
import MeshDiagnostics
import MeshEmit
import MeshCompile
import MeshPipeline
import MeshPlan
import MeshSnapshot
import MeshTestSupport
import Testing

/// The text and JSON forms of a plan, as exact strings; the constructors of `ProxyResources`.
@Suite struct PlanOutputTests {
    static let old = Mesh.resource(.route, "r", 1), new = Mesh.resource(.route, "r", 2)

    static let plan = Planner.plan(
        desired: [
            ProxySnapshot(proxy: "gw", clusters: [Mesh.resource(.cluster, "a"), Mesh.resource(.cluster, "b")], routes: [new]),
            ProxySnapshot(proxy: "new", endpoints: [Mesh.resource(.endpoint, "e")]),
            ProxySnapshot(proxy: "same", clusters: [Mesh.resource(.cluster, "a")]),
        ],
        running: [
            ProxySnapshot(proxy: "gw", clusters: [Mesh.resource(.cluster, "a")], routes: [old]),
            ProxySnapshot(proxy: "old", listeners: [Mesh.resource(.listener, "l")]),
            ProxySnapshot(proxy: "same", clusters: [Mesh.resource(.cluster, "a")]),
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
        let unchanged = Planner.plan(desired: [ProxySnapshot(proxy: "same", clusters: [Mesh.resource(.cluster, "a")])],
                                     running: [ProxySnapshot(proxy: "same", clusters: [Mesh.resource(.cluster, "a")])])
        #expect(unchanged.text() == "No changes.\n")
    }

    @Test func jsonListsEveryProxyWithSortedKeys() throws {
        let b = Mesh.resource(.cluster, "b").version, e = Mesh.resource(.endpoint, "e").version, l = Mesh.resource(.listener, "l").version
        #expect(Self.plan.json().rendered() == """
            {"has_changes":true,"notes":[],"proxies":[\
            {"action":"update","changes":[\
            {"action":"create","desired_version":"\(b)","details":[],"name":"b","type":"cluster"},\
            {"action":"update","desired_version":"\(Self.new.version)",\
            "details":[{"after":2,"before":1,"kind":"field","path":"n","text":"n: 1 → 2"}],\
            "name":"r","running_version":"\(Self.old.version)","type":"route"}\
            ],"proxy":"gw","unchanged":1},\
            {"action":"create","changes":[{"action":"create","desired_version":"\(e)",\
            "details":[{"after":[],"before":null,"cluster":"e","kind":"endpoints","text":"endpoints of e: (none)"}],\
            "name":"e","type":"endpoints"}],"proxy":"new","unchanged":0},\
            {"action":"delete","changes":[{"action":"delete","details":[],"name":"l","running_version":"\(l)","type":"listener"}],"proxy":"old","unchanged":0},\
            {"action":"unchanged","changes":[],"proxy":"same","unchanged":1}\
            ],"schemaVersion":\(Plan.jsonSchemaVersion),"summary":{"create":2,"delete":1,"proxies_changed":3,"unchanged":2,"update":1}}
            """)
        #expect(Self.plan.jsonText().hasSuffix("}\n"))
        #expect(try JSON.parse(Self.plan.jsonText()) == Self.plan.json())
    }

    /// A build folder read back gives the versions the emitter gave, and its
    /// DiscoveryResponses recompute to the same `version_info`.
    @Test func buildFolderVersionsMatchTheEmitter() throws {
        let golden = Repository.url("Tests/MeshCompileTests/Golden/s3-weighted")
        let proxies = try ProxySnapshot.buildFolder(golden.path)
        #expect(proxies.map(\.proxy) == ["gateway-istio-ingressgateway", "mesh"])
        let folder = golden.appendingPathComponent("gateway-istio-ingressgateway")
        for type in EnvoyKind.allCases where type.isWrittenWhole && !type.isOptional {
            let file = try JSON.parse(Data(contentsOf: folder.appendingPathComponent(type.fileName)))
            #expect(proxies[0][type].count > 0)
            #expect(file["version_info"]?.text == proxies[0].versionInfo(type), "\(type.fileName)")
        }
        #expect(proxies[0][.route].map(\.name) == ["http.80"], "read from routes/http.80.json")
        // The folder holds what the compiler emits for the same manifests (the goldens' ports).
        var options = CompileOptions()
        options.portOffset = 10000
        options.adminPort = 19000
        let pipeline = Pipeline(options: options)
        let input = try Data(contentsOf: golden.appendingPathComponent("input.yaml"))
        let build = try pipeline.build(pipeline.lint(sources: [.bytes(Array(input), name: "Golden/s3-weighted/input.yaml")])).get()
        #expect(build.proxies.map(\.snapshot) == proxies)
    }

    @Test func badInputIsNamed() throws {
        func refused(_ responses: [EnvoyKind: JSON]) -> String {
            do { _ = try ProxySnapshot(proxy: "p", responses: responses, origin: "agent of p"); return "accepted" } catch { return error.description }
        }
        #expect(refused([.route: .object(["type_url": .string(EnvoyKind.cluster.typeURL)])])
            == "agent of p: routes.type_url is \"\(EnvoyKind.cluster.typeURL)\"; it must be \"\(EnvoyKind.route.typeURL)\"")
        let a = Mesh.resource(.cluster, "a").bytes
        #expect(refused([.cluster: try JSON.parse("{\"resources\": [\(a), \(a)]}")]) == "agent of p: clusters has two resources named a")
        #expect(refused([.endpoint: .object(["resources": .array([.object(["name": .string("a")])])])])
            == "agent of p: endpoints.resources[0]: a endpoints has no string \"cluster_name\"")
    }

    @Test func aFolderWithABrokenFileNamesTheFileAndTheByte() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("gw")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("{\"resources\": [}".utf8).write(to: folder.appendingPathComponent("clusters.json"))
        #expect(throws: PlanInputError("\(folder.path)/clusters.json: invalid JSON at byte 15: expected a value, found `}`")) {
            try ProxySnapshot.buildFolder(root.path)
        }
        #expect(throws: PlanInputError("\(root.path)/nope: no such folder (expected the output of `meshc build --out \(root.path)/nope`)")) {
            try ProxySnapshot.buildFolder(root.appendingPathComponent("nope").path)
        }
    }

    /// Route configurations are read from their own files, `routes/<name>.json`,
    /// in file-name order; a staging file of an interrupted write and an older
    /// build's `routes.json` are not read; a route file of another type is named.
    @Test func routeConfigurationsAreReadFromTheirOwnFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-plan-\(UUID().uuidString)/gw")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("routes"), withIntermediateDirectories: true)
        let response = { (kind: EnvoyKind, names: [String]) in
            Data("{\"resources\":[\(names.map { Mesh.resource(kind, $0).bytes }.joined(separator: ","))],\"type_url\":\"\(kind.typeURL)\"}".utf8)
        }
        for kind in [EnvoyKind.cluster, .endpoint, .listener] { try response(kind, []).write(to: folder.appendingPathComponent(kind.fileName)) }
        try response(.route, ["http.80"]).write(to: folder.appendingPathComponent("routes/http.80.json"))
        try response(.route, ["http.8080"]).write(to: folder.appendingPathComponent("routes/http.8080.json"))
        try Data("{half".utf8).write(to: folder.appendingPathComponent("routes/.staging-http.9090.json"))
        try Data("{older".utf8).write(to: folder.appendingPathComponent("routes.json"))
        let snapshot = try ProxySnapshot.folder(folder.path)
        #expect(snapshot[.route].map(\.name) == ["http.80", "http.8080"])
        #expect(snapshot[.route] == [Mesh.resource(.route, "http.80"), Mesh.resource(.route, "http.8080")])
        let wrong = folder.appendingPathComponent("routes/http.8080.json")
        try response(.cluster, ["a"]).write(to: wrong)
        #expect(throws: PlanInputError("\(wrong.path): routes.type_url is \"\(EnvoyKind.cluster.typeURL)\"; it must be \"\(EnvoyKind.route.typeURL)\"")) {
            try ProxySnapshot.folder(folder.path)
        }
    }
}
