import Foundation
import MeshSnapshot
import MeshTestSupport
import Testing

/// Real Envoy is the oracle: every golden bootstrap must pass
/// `envoy --mode validate`. Envoy comes from `<repo>/.venv/bin/envoy`
/// (scripts/setup.sh installs it).
@Suite struct EnvoyValidateTests {
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

    @Test(.tags(.e2e), .enabled(if: Tools.envoy != nil, Tools.envoyMissing), arguments: bootstraps)
    func envoyAcceptsBootstrap(_ path: String) throws {
        let envoy = try #require(Tools.envoy)
        var bootstrap = CompileGoldenTests.goldens.appendingPathComponent(path).appendingPathComponent("bootstrap.json")
        let text = try String(contentsOf: bootstrap, encoding: .utf8)
        if text.contains(Self.testCertPrefix) {
            let certs = try #require(Self.testCerts, "openssl could not make the test certificates")
            bootstrap = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-validate-\(UUID().uuidString).json")
            try text.replacingOccurrences(of: Self.testCertPrefix, with: certs + "/").write(to: bootstrap, atomically: true, encoding: .utf8)
        }
        if let range = text.range(of: #"/var/lib/meshc/[^"/]+/certs/"#, options: .regularExpression) {
            // Mesh mTLS: the SDS files the agent writes, here from the same throwaway certificate.
            let secrets = try #require(Self.testSecrets, "openssl could not make the test certificates")
            let current = try String(contentsOf: bootstrap, encoding: .utf8)
            if bootstrap.path.contains("meshc-validate-") { try? FileManager.default.removeItem(at: bootstrap) }
            bootstrap = FileManager.default.temporaryDirectory.appendingPathComponent("meshc-validate-\(UUID().uuidString).json")
            try current.replacingOccurrences(of: String(text[range]), with: secrets + "/").write(to: bootstrap, atomically: true, encoding: .utf8)
        }
        defer { if bootstrap.path.contains("meshc-validate-") { try? FileManager.default.removeItem(at: bootstrap) } }
        let run = try Subprocess.run(envoy, ["--mode", "validate", "-c", bootstrap.path, "--disable-hot-restart", "-l", "error"])
        #expect(run.status == 0, "envoy rejected Golden/\(path)/bootstrap.json:\n\(run.stdout)\(run.stderr)")
    }

    /// Goldens with TLS (gateway servers, upstream clusters) name certificate files under this folder. Envoy's validate mode
    /// loads them (and checks the key matches the certificate), so instead of weakening the check
    /// the test makes a throwaway self-signed certificate, key and CA bundle with openssl and
    /// points the folder at them: `cert.pem`, `key.pem`, `ca.pem`.
    static let testCertPrefix = "/etc/meshc/test-certs/"

    /// A folder with the SDS files of mesh mTLS (`certs/default.json`, `certs/ROOTCA.json`) made from `testCerts`; nil when openssl fails.
    static let testSecrets: String? = {
        guard let certs = testCerts,
              let cert = try? String(contentsOfFile: certs + "/cert.pem", encoding: .utf8),
              let key = try? String(contentsOfFile: certs + "/key.pem", encoding: .utf8) else { return nil }
        let folder = certs + "/sds"
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil,
              (try? SecretSource.certificateFile(chainPEM: cert, keyPEM: key, version: "test")
                .write(toFile: folder + "/" + "default.json", atomically: true, encoding: .utf8)) != nil,
              (try? SecretSource.rootFile(rootPEM: cert, version: "test").write(toFile: folder + "/ROOTCA.json", atomically: true, encoding: .utf8)) != nil
        else { return nil }
        return folder
    }()

    /// The folder holding the generated files; nil when openssl fails.
    static let testCerts: String? = TestCertificates.selfSigned(commonName: "payments.example.com")
}
