import MeshDiagnostics

/// Kubernetes object metadata, the parts meshc reads.
package struct ObjectMeta: Sendable, ObjectDecodable {
    package static let fields: Set<String> = [
        "name", "namespace", "labels", "annotations", "generateName", "uid", "resourceVersion",
        "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "ownerReferences", "finalizers", "managedFields", "selfLink",
    ]

    package var name: Located<String>?
    /// As written; nil when the manifest states none.
    package var namespace: Located<String>?
    package var labels: StringMap
    package var annotations: StringMap
    package var mark: Mark

    package init(_ o: ObjectReader) {
        name = o.string("name")
        namespace = o.string("namespace")
        labels = o.stringMap("labels") ?? StringMap(mark: o.mark)
        annotations = o.stringMap("annotations") ?? StringMap(mark: o.mark)
        mark = o.mark
    }

    package init(name: String, namespace: String?, labels: StringMap = StringMap(), mark: Mark = .start) {
        self.name = Located(name, at: mark)
        self.namespace = namespace.map { Located($0, at: mark) }
        self.labels = labels
        self.annotations = StringMap()
        self.mark = mark
    }
}

/// Label selector as Kubernetes writes it (`matchLabels`, `matchExpressions`).
package struct LabelSelector: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["matchLabels", "matchExpressions"]
    package var matchLabels: StringMap
    package var hasExpressions: Bool

    package init(_ o: ObjectReader) {
        matchLabels = o.stringMap("matchLabels") ?? StringMap(mark: o.mark)
        hasExpressions = o.has("matchExpressions")
    }
}

/// Istio's `WorkloadSelector` (`labels`).
package struct WorkloadSelector: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["labels"]
    package var labels: StringMap

    package init(_ o: ObjectReader) {
        labels = o.stringMap("labels") ?? StringMap(mark: o.mark)
    }

    package init(labels: StringMap) {
        self.labels = labels
    }
}

/// Istio's `PolicyTargetReference` (`targetRef`, `targetRefs`).
package struct PolicyTargetReference: Sendable, ObjectDecodable {
    package static let fields: Set<String> = ["group", "kind", "name", "namespace"]
    package var group: Located<String>?
    package var kind: Located<String>?
    package var name: Located<String>?
    package var namespace: Located<String>?
    package var mark: Mark

    package init(_ o: ObjectReader) {
        group = o.string("group")
        kind = o.string("kind")
        name = o.string("name")
        namespace = o.string("namespace")
        mark = o.mark
    }
}
