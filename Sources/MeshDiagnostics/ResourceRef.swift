/// Names the manifest a finding is about.
package struct ResourceRef: Hashable, Sendable {
    package var kind: String
    /// The namespace as the manifest says it, or `default` when it says none.
    package var namespace: String
    package var name: String

    package init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }
}
