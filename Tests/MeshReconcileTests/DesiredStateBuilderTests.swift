import Foundation
import MeshSource
import Testing
@testable import MeshReconcile

/// Source → desired bundles, on the bundled samples and scratch folders (no network, no Envoy).
struct DesiredStateBuilderTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples").path

    @Test func theSampleGatewayGetsItsAgentAndABundleOfItsVersion() throws {
        let builder = DesiredStateBuilder()
        let state = try builder.build(SourceSnapshot.directory(Self.samples, under: "s2-path-routing")).get()
        let gateway = try #require(state.proxies.first { $0.name == "ingressgateway" })
        #expect(gateway.agentAddress == "127.0.0.1:19100")
        #expect(gateway.bundle["version"]?.string == gateway.snapshotVersion)
        #expect(gateway.bundle["proxy"]?.string == "ingressgateway")
        #expect(gateway.bootstrap.contains("\"static_resources\""))
        #expect(state.source.id == Self.samples)
    }

    @Test func theSameManifestsGiveTheSameVersionsAndOnlyChangedFilesAreParsedAgain() throws {
        let builder = DesiredStateBuilder()
        let s1 = try builder.build(SourceSnapshot.directory(Self.samples, under: "s1-ingress")).get()
        let again = try builder.build(SourceSnapshot.directory(Self.samples, under: "s1-ingress")).get()
        #expect(s1.proxies.map(\.snapshotVersion) == again.proxies.map(\.snapshotVersion))
        let statistics = builder.cache.statistics
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
        let result = DesiredStateBuilder().build(try SourceSnapshot.directory(folder.path))
        guard case .failure(.lintErrors(let lines)) = result else { Issue.record("expected lint errors: \(result)"); return }
        #expect(lines.contains { $0.hasPrefix("broken.yaml:7:") && $0.contains("IST0106") }, "\(lines)")
    }
}
