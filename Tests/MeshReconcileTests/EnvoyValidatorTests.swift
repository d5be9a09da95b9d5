import Foundation
import MeshSource
import Testing
@testable import MeshReconcile

/// `<package>/.venv/bin/envoy`, when scripts/setup.sh installed it.
let localEnvoy: String? = {
    let path = URL(fileURLWithPath: DesiredStateBuilderTests.samples).deletingLastPathComponent().appendingPathComponent(".venv/bin/envoy").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// `envoy --mode validate` before a push, on real Envoy (`.venv/bin/envoy`).
@Suite(.enabled(if: localEnvoy != nil, "Envoy is not installed at .venv/bin/envoy: run scripts/setup.sh"))
struct EnvoyValidatorTests {
    static var envoy: String? { localEnvoy }

    @Test func theCompiledGatewayPassesAndABrokenBootstrapIsRefusedWithEnvoysReason() async throws {
        let state = try DesiredStateBuilder().build(SourceSnapshot.directory(DesiredStateBuilderTests.samples, under: "s2-path-routing")).get()
        var gateway = try #require(state.proxies.first { $0.name == "ingressgateway" })
        let validator = EnvoyValidator(envoy: try #require(Self.envoy))
        #expect(await validator.validate(gateway) == nil)

        gateway.bootstrap = gateway.bootstrap.replacingOccurrences(of: "\"connect_timeout\"", with: "\"no_such_field\":1,\"connect_timeout\"")
        gateway.snapshotVersion += "-broken"
        let reason = await validator.validate(gateway)
        #expect(reason?.contains("no_such_field") == true, "\(reason ?? "accepted")")
    }
}
