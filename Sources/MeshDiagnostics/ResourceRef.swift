/// Names the manifest a finding is about.
public struct ResourceRef: Hashable, Sendable {
    public var kind: String
    /// The namespace as the manifest says it, or `default` when it says none.
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }
}
