import Foundation
import MeshCompile
import MeshDiagnostics
import MeshEmit
import MeshPipeline
import MeshLint
import MeshModel
import MeshYAML
import Testing

/// Golden builds: `Golden/<case>/input.yaml` in, one expected file per Envoy
/// resource type out, under `Golden/<case>/<proxy>/`, so a diff shows what changed.
///
/// `MESHC_UPDATE_GOLDENS=1 swift test` rewrites them and deletes orphans;
/// that run fails on purpose so a rewrite never passes unseen.
@Suite struct CompileGoldenTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let updating = ProcessInfo.processInfo.environment["MESHC_UPDATE_GOLDENS"] == "1"
    static let cases: [String] = (try? FileManager.default.contentsOfDirectory(atPath: goldens.path))?
        .filter { FileManager.default.fileExists(atPath: goldens.appendingPathComponent($0).appendingPathComponent("input.yaml").path) }
        .sorted() ?? []

    /// The build every golden case gets (through the pipeline every command
    /// uses): ports as a local demo uses them.
    static func build(_ name: String) throws -> [EmittedProxy] {
        let input = goldens.appendingPathComponent(name).appendingPathComponent("input.yaml")
        var options = CompileOptions()
        options.portOffset = 10000
        options.adminPort = 19000
        let pipeline = Pipeline(options: options)
        let report = try pipeline.lint(sources: [.bytes(Array(try Data(contentsOf: input)), name: "Golden/\(name)/input.yaml")])
        switch pipeline.build(report) {
        case .success(let build): return build.proxies
        case .failure(let error):
            Issue.record("Golden/\(name)/input.yaml does not build: \(error)")
            return []
        }
    }

    /// The files of a golden proxy, as `meshc build --out /var/lib/meshc` writes them.
    static func files(_ proxy: EmittedProxy, pretty: Bool = false) -> [(name: String, text: String)] {
        proxy.files(folder: "/var/lib/meshc/\(proxy.proxy)", pretty: pretty)
    }

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 6, "expected the golden cases under \(Self.goldens.path)")
    }

    @Test(arguments: cases)
    func golden(name: String) throws {
        let snapshots = try Self.build(name)
        #expect(!snapshots.isEmpty, "Golden/\(name) builds no proxy")
        let folder = Self.goldens.appendingPathComponent(name)
        var wanted = Set(["input.yaml"])
        for snapshot in snapshots {
            wanted.insert(snapshot.proxy)
            let proxyFolder = folder.appendingPathComponent(snapshot.proxy)
            for file in Self.files(snapshot, pretty: true) {
                let golden = proxyFolder.appendingPathComponent(file.name)
                if Self.updating {
                    try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
                    let old = try? String(contentsOf: golden, encoding: .utf8)
                    if old != file.text {
                        try file.text.write(to: golden, atomically: true, encoding: .utf8)
                        Issue.record("rewrote Golden/\(name)/\(snapshot.proxy)/\(file.name); review the diff and run again without MESHC_UPDATE_GOLDENS")
                    }
                    continue
                }
                let expected = try? String(contentsOf: golden, encoding: .utf8)
                #expect(file.text == expected, "Golden/\(name)/\(snapshot.proxy)/\(file.name) differs; if intended, run MESHC_UPDATE_GOLDENS=1 swift test")
            }
        }
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        let orphans = present.subtracting(wanted)
        if Self.updating {
            for orphan in orphans { try FileManager.default.removeItem(at: folder.appendingPathComponent(orphan)) }
            if !orphans.isEmpty { Issue.record("removed orphan goldens in Golden/\(name): \(orphans.sorted())") }
            return
        }
        #expect(orphans.isEmpty, "orphan goldens in Golden/\(name): \(orphans.sorted()); run MESHC_UPDATE_GOLDENS=1 swift test")
    }

    /// `meshc build` writes compact files spliced from each resource's
    /// rendering; they must be the very JSON the pretty goldens show.
    @Test(arguments: cases)
    func compactFilesAreThePrettyOnes(name: String) throws {
        for snapshot in try Self.build(name) {
            for (compact, pretty) in zip(Self.files(snapshot), Self.files(snapshot, pretty: true)) {
                #expect(compact.name == pretty.name)
                #expect(try JSON.parse(compact.text) == JSON.parse(pretty.text), "Golden/\(name)/\(snapshot.proxy)/\(compact.name)")
                #expect(try JSON.parse(compact.text).rendered() + "\n" == compact.text, "compact is canonical: \(compact.name)")
            }
        }
    }

    @Test func buildIsDeterministic() throws {
        for name in Self.cases {
            let first = try Self.build(name).flatMap { Self.files($0).map(\.text) }
            let second = try Self.build(name).flatMap { Self.files($0).map(\.text) }
            #expect(first == second, "Golden/\(name) builds differently twice")
        }
    }
}
