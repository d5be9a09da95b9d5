/// Mesh-wide settings; the defaults are istioctl analyze's when no mesh config is given.
package struct MeshConfig: Sendable, Equatable {
    package var rootNamespace = "istio-system"
    package var trustDomain = "cluster.local"
    /// DNS suffix of Kubernetes Services (`<name>.<namespace>.svc.<domain>`).
    package var domainSuffix = "cluster.local"
    /// Checks that run only when asked (`Codes.optIn`), by code id.
    package var enabledOptInCodes: Set<String> = []

    package init() {}

    package static let `default` = MeshConfig()

    /// Whether an off-by-default check (`Codes.optIn`) was asked for.
    package func isEnabled(_ code: String) -> Bool { enabledOptInCodes.contains(code) }
}
