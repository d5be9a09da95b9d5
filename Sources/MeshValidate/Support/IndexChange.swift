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
}
