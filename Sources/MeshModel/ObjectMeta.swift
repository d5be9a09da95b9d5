import MeshDiagnostics

/// Kubernetes object metadata, the parts meshc reads.
public struct ObjectMeta: Sendable, ObjectDecodable {
    public static let fields: Set<String> = [
        "name", "namespace", "labels", "annotations", "generateName", "uid", "resourceVersion",
        "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "ownerReferences", "finalizers", "managedFields", "selfLink",
    ]

    public var name: Located<String>?
    /// As written; nil when the manifest states none.
    public var namespace: Located<String>?
    public var labels: StringMap
    public var annotations: StringMap
    public var mark: Mark

    public init(_ o: ObjectReader) {
        name = o.string("name")
        namespace = o.string("namespace")
        labels = o.stringMap("labels") ?? StringMap(mark: o.mark)
        annotations = o.stringMap("annotations") ?? StringMap(mark: o.mark)
        mark = o.mark
    }

    public init(name: String, namespace: String?, labels: StringMap = StringMap(), mark: Mark = .start) {
        self.name = Located(name, at: mark)
        self.namespace = namespace.map { Located($0, at: mark) }
        self.labels = labels
        self.annotations = StringMap()
        self.mark = mark
    }
}

/// Label selector as Kubernetes writes it (`matchLabels`, `matchExpressions`).
public struct LabelSelector: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["matchLabels", "matchExpressions"]
    public var matchLabels: StringMap
    public var hasExpressions: Bool

    public init(_ o: ObjectReader) {
        matchLabels = o.stringMap("matchLabels") ?? StringMap(mark: o.mark)
        hasExpressions = o.has("matchExpressions")
    }
}

/// Istio's `WorkloadSelector` (`labels`).
public struct WorkloadSelector: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["labels"]
    public var labels: StringMap

    public init(_ o: ObjectReader) {
        labels = o.stringMap("labels") ?? StringMap(mark: o.mark)
    }
}

/// Istio's `PolicyTargetReference` (`targetRef`, `targetRefs`).
public struct PolicyTargetReference: Sendable, ObjectDecodable {
    public static let fields: Set<String> = ["group", "kind", "name", "namespace"]
    public var group: Located<String>?
    public var kind: Located<String>?
    public var name: Located<String>?
    public var namespace: Located<String>?
    public var mark: Mark

    public init(_ o: ObjectReader) {
        group = o.string("group")
        kind = o.string("kind")
        name = o.string("name")
        namespace = o.string("namespace")
        mark = o.mark
    }
}
