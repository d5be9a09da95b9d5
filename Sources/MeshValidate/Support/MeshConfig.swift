/// Mesh-wide settings; the defaults are istioctl analyze's when no mesh config is given.
package struct MeshConfig: Sendable {
    package var rootNamespace = "istio-system"
    package var trustDomain = "cluster.local"
    /// DNS suffix of Kubernetes Services (`<name>.<namespace>.svc.<domain>`).
    package var domainSuffix = "cluster.local"

    package init() {}

    package static let `default` = MeshConfig()
}
