/// Mesh-wide settings; the defaults are istioctl analyze's when no mesh config is given.
public struct MeshConfig: Sendable {
    public var rootNamespace = "istio-system"
    public var trustDomain = "cluster.local"
    /// DNS suffix of Kubernetes Services (`<name>.<namespace>.svc.<domain>`).
    public var domainSuffix = "cluster.local"

    public init() {}

    public static let `default` = MeshConfig()
}
