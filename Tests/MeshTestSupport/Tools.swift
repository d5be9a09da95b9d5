import Foundation
import Testing

/// The executables tests run: the built `meshc` and the package's Envoy.
package enum Tools {
    /// `meshc` from the same build folder as the test bundle (test targets that
    /// depend on the executable get it built by `swift build --build-tests`).
    package static let meshc: String = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("meshc").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return Repository.url(".build/debug/meshc").path
    }()

    /// `<root>/.venv/bin/envoy` (installed by scripts/setup.sh), or nil when missing.
    package static let envoy: String? = {
        let path = Repository.url(".venv/bin/envoy").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    /// Debian's Prometheus server (scripts/setup.sh installs the package), or nil when missing.
    package static let prometheus: String? = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Its `promtool`.
    package static let promtool: String? = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Why Prometheus tests are skipped.
    package static let prometheusMissing: Comment = "Prometheus is not installed (Debian's prometheus package): run scripts/setup.sh (make test does)"

    /// Why Envoy tests are skipped, shown by the test runner.
    package static let envoyMissing: Comment = "Envoy is not installed at .venv/bin/envoy: run scripts/setup.sh (make test does)"

    /// Runs `meshc arguments…` (in the package root by default); see `Subprocess.run`.
    /// meshc finds no Envoy by itself in the package folder: `MESHC_ENVOY`
    /// names the package's, unless `environment` says otherwise.
    package static func meshc(_ arguments: [String], in directory: URL? = Repository.root, input: Data? = nil,
                              environment: [String: String] = [:], timeout: Double = 60) throws -> Subprocess.Result {
        var environment = environment
        if environment["MESHC_ENVOY"] == nil, let envoy { environment["MESHC_ENVOY"] = envoy }
        return try Subprocess.run(meshc, arguments, in: directory, input: input, environment: environment, timeout: timeout)
    }
}
