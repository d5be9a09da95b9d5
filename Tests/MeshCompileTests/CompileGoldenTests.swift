import Foundation
import MeshCompile
import MeshDiagnostics
import MeshEmit
import MeshIR
import MeshPipeline
import MeshLint
import MeshModel
import MeshTestSupport
import MeshYAML
import Testing

/// Golden builds: `Golden/<case>/input.yaml` in; out, under
/// `Golden/<case>/<proxy>/`, the compiled IR (`ir.json`) and one expected file
/// per Envoy resource type, so a diff shows what changed and in which stage
/// (compiler or emitter).
///
/// `MESHC_UPDATE_GOLDENS=1 swift test` rewrites them and deletes orphans;
/// that run fails on purpose so a rewrite never passes unseen.
@Suite struct CompileGoldenTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let cases: [String] = (try? FileManager.default.contentsOfDirectory(atPath: goldens.path))?
        .filter { FileManager.default.fileExists(atPath: goldens.appendingPathComponent($0).appendingPathComponent("input.yaml").path) }
        .sorted() ?? []

    /// One built proxy: its compiled IR and its Envoy files.
    struct Built {
        var ir: ProxyConfig
        var emitted: EmittedProxy
        var name: String { emitted.proxy }
    }

    /// The build every golden case gets (through the pipeline every command
    /// uses): ports as a local demo uses them.
    static func build(_ name: String) throws -> [Built] {
        let input = goldens.appendingPathComponent(name).appendingPathComponent("input.yaml")
        var options = CompileOptions()
        options.portOffset = 10000
        options.adminPort = 19000
        let pipeline = Pipeline(options: options)
        let report = try pipeline.lint(sources: [.bytes(Array(try Data(contentsOf: input)), name: "Golden/\(name)/input.yaml")])
        switch pipeline.build(report) {
        case .success(let build):
            let ir = Dictionary(build.compiled.proxies.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            return try build.proxies.map { emitted in
                Built(ir: try #require(ir[emitted.proxy], "no IR for \(emitted.proxy)"), emitted: emitted)
            }
        case .failure(let error):
            Issue.record("Golden/\(name)/input.yaml does not build: \(error)")
            return []
        }
    }

    /// The files of a golden proxy, as `meshc build --out /var/lib/meshc` writes them.
    static func files(_ proxy: EmittedProxy, pretty: Bool = false) -> [(name: String, text: String)] {
        proxy.files(folder: "/var/lib/meshc/\(proxy.proxy)", pretty: pretty, bootstrap: .static)
    }

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 6, "expected the golden cases under \(Self.goldens.path)")
    }

    @Test(arguments: cases)
    func golden(name: String) throws {
        let proxies = try Self.build(name)
        #expect(!proxies.isEmpty, "Golden/\(name) builds no proxy")
        let golden = Golden(Self.goldens.appendingPathComponent(name), label: "Golden/\(name)")
        var produced: Set = ["input.yaml"]
        for proxy in proxies {
            let files = [("ir.json", proxy.ir.irJSON.rendered(pretty: true) + "\n")] + Self.files(proxy.emitted, pretty: true)
            for (file, text) in files {
                let path = "\(proxy.name)/\(file)"
                produced.insert(path)
                try golden.check(text, path)
            }
        }
        try golden.checkOrphans(produced: produced)
    }

    /// `meshc build` writes compact files spliced from each resource's
    /// rendering; they must be the very JSON the pretty goldens show.
    @Test(arguments: cases)
    func compactFilesAreThePrettyOnes(name: String) throws {
        for proxy in try Self.build(name).map(\.emitted) {
            for (compact, pretty) in zip(Self.files(proxy), Self.files(proxy, pretty: true)) {
                #expect(compact.name == pretty.name)
                #expect(try JSON.parse(compact.text) == JSON.parse(pretty.text), "Golden/\(name)/\(proxy.proxy)/\(compact.name)")
                #expect(try JSON.parse(compact.text).rendered() + "\n" == compact.text, "compact is canonical: \(compact.name)")
            }
        }
    }

    @Test func buildIsDeterministic() throws {
        for name in Self.cases {
            let render = { (built: Built) in [built.ir.irJSON.rendered()] + Self.files(built.emitted).map(\.text) }
            let first = try Self.build(name).flatMap(render)
            let second = try Self.build(name).flatMap(render)
            #expect(first == second, "Golden/\(name) builds differently twice")
        }
    }
}
