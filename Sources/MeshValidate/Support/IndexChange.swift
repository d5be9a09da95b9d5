import MeshModel

/// What a new commit changed in the mesh, as objects: with a parse cache,
/// an unchanged document keeps its resource object, so identity is "unchanged".
struct IndexChange {
    /// Kinds whose resources are the same objects in the same order.
    var unchanged: Set<ResourceKind> = []
    /// Resources only the new index has, by kind then order.
    var added: [Resource] = []
    /// Resources only the old index had.
    var removed: [Resource] = []

    /// True when the added resources have exactly the identities (kind,
    /// namespace, name, file, name position) of the removed ones: a commit
    /// that edited specs and nothing else.
    var keepsIdentities: Bool {
        guard added.count == removed.count else { return false }
        func identities(_ resources: [Resource]) -> [Identity] { resources.map(Identity.init).sorted() }
        return identities(added) == identities(removed)
    }

    private struct Identity: Comparable {
        var kind: String
        var namespace: String
        var name: String
        var file: String
        var line: Int
        var column: Int

        init(_ resource: Resource) {
            kind = resource.kind.rawValue
            namespace = resource.namespace
            name = resource.name
            file = resource.file
            line = Int(resource.nameMark.line)
            column = Int(resource.nameMark.column)
        }

        static func < (a: Identity, b: Identity) -> Bool {
            (a.kind, a.namespace, a.name, a.file, a.line, a.column) < (b.kind, b.namespace, b.name, b.file, b.line, b.column)
        }
    }
}
