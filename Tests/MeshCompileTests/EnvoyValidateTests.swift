import Foundation
import Testing

/// Real Envoy is the oracle: every golden bootstrap must pass
/// `envoy --mode validate`. Envoy comes from `<repo>/.venv/bin/envoy`
/// (scripts/setup.sh installs it).
@Suite struct EnvoyValidateTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let envoy = repo.appendingPathComponent(".venv/bin/envoy")

    static var bootstraps: [String] {
        var result: [String] = []
        for name in CompileGoldenTests.cases {
            let folder = CompileGoldenTests.goldens.appendingPathComponent(name)
            for proxy in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let path = folder.appendingPathComponent(proxy).appendingPathComponent("bootstrap.json").path
                if FileManager.default.fileExists(atPath: path) { result.append("\(name)/\(proxy)") }
            }
        }
        return result.sorted()
    }

    @Test func everyCaseHasABootstrap() {
        #expect(Self.bootstraps.count >= CompileGoldenTests.cases.count)
    }

    @Test(arguments: bootstraps)
    func envoyAcceptsBootstrap(_ path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.envoy.path) else {
            print("skipped: \(Self.envoy.path) is missing; run scripts/setup.sh to install Envoy")
            return
        }
        let bootstrap = CompileGoldenTests.goldens.appendingPathComponent(path).appendingPathComponent("bootstrap.json")
        let process = Process()
        process.executableURL = Self.envoy
        process.arguments = ["--mode", "validate", "-c", bootstrap.path, "--disable-hot-restart", "-l", "error"]
        // Manifests name certificate files relative to the Golden folder (`certs/server.pem`).
        process.currentDirectoryURL = CompileGoldenTests.goldens
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "envoy rejected Golden/\(path)/bootstrap.json:\n\(text)")
    }
}
