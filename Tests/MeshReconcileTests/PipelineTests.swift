import Foundation
import MeshDiagnostics
import MeshPipeline
import MeshSnapshot
import MeshSource
import Testing

/// Source → desired snapshots, on the bundled samples and scratch folders (no network, no Envoy).
struct PipelineTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples").path

    @Test func theSampleGatewayGetsItsAgentAndABundleOfItsVersion() throws {
        let state = try Pipeline().desired(SourceSnapshot.directory(Self.samples, under: "s2-path-routing")).get()
        let gateway = try #require(state.proxies.first { $0.name == "ingressgateway" })
        #expect(gateway.agentAddress == "127.0.0.1:19100")
        let bundle = try JSON.parse(gateway.snapshot.bundle())
        #expect(bundle["version"]?.text == gateway.snapshotVersion)
        #expect(bundle["proxy"]?.text == "ingressgateway")
        #expect(state.source.id == Self.samples)
    }

    @Test func theSameManifestsGiveTheSameVersionsAndOnlyChangedFilesAreParsedAgain() throws {
        let pipeline = Pipeline()
        let s1 = try pipeline.desired(SourceSnapshot.directory(Self.samples, under: "s1-ingress")).get()
        let again = try pipeline.desired(SourceSnapshot.directory(Self.samples, under: "s1-ingress")).get()
        #expect(s1.proxies.map(\.snapshotVersion) == again.proxies.map(\.snapshotVersion))
        let statistics = pipeline.cache.statistics
        #expect(statistics.hits == statistics.misses, "the second build parsed nothing: \(statistics)")
    }

    @Test func lintErrorsComeBackWithFileAndLineAndNothingToApply() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-desired-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: broken
            spec:
              host: reviews
              noSuchField: 1

            """.utf8).write(to: folder.appendingPathComponent("broken.yaml"))
        let result = Pipeline().desired(try SourceSnapshot.directory(folder.path))
        guard case .failure(.lintErrors(let report)) = result else { Issue.record("expected lint errors: \(result)"); return }
        let lines = report.text().split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("broken.yaml:7:") && $0.contains("IST0106") }, "\(lines)")
    }

    /// The compiler's index is the lint run's: built once per commit.
    @Test func theLintIndexIsHandedToTheCompiler() throws {
        let report = try Pipeline().lint(SourceSnapshot.directory(Self.samples, under: "s1-ingress"))
        #expect(report.index != nil)
    }
}
