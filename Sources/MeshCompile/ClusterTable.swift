import MeshIR

/// The clusters a compile built, by key: the clusters in one array, in the
/// order they were added, and a table from key to position beside them.
///
/// A dictionary of clusters moved each cluster (a large value) into hashed
/// storage on one thread: 26,000 for a 10k sidecar, ~30 ms of traffic-policy's
/// serial tail. Here a cluster is appended where the parallel build left it,
/// and the hashed table holds small positions.
struct ClusterTable {
    /// Every cluster, in the order added.
    private(set) var values: [Cluster] = []
    private var positions: [ClusterKey: Int32] = [:]
    /// How many clusters carry a hash policy (most meshes: none, and a route looks up none).
    private(set) var hashing = 0

    var count: Int { values.count }

    mutating func reserveCapacity(_ capacity: Int) {
        values.reserveCapacity(capacity)
        positions.reserveCapacity(capacity)
    }

    /// Where `key`'s cluster is in `values`, or nil.
    func position(of key: ClusterKey) -> Int? { positions[key].map(Int.init) }

    /// `key`'s cluster, or nil.
    subscript(key: ClusterKey) -> Cluster? { positions[key].map { values[Int($0)] } }

    /// Adds `clusters[i]` for `keys[i]`, keys the table does not have yet,
    /// after the clusters it has: the array is taken whole (not a cluster
    /// moved) when the table is empty, as it is for a cold compile.
    mutating func append(_ clusters: [Cluster], for keys: [ClusterKey]) {
        assert(clusters.count == keys.count)
        positions.reserveCapacity(positions.count + keys.count)
        for i in keys.indices {
            let replaced = positions.updateValue(Int32(values.count + i), forKey: keys[i])
            assert(replaced == nil, "a key appended twice")
        }
        for i in clusters.indices where clusters[i].hashPolicy != nil { hashing += 1 }
        if values.isEmpty { values = clusters } else { values.append(contentsOf: clusters) }
    }

    /// Adds `key`'s cluster, or replaces the one it has.
    mutating func insert(_ cluster: consuming Cluster, for key: ClusterKey) {
        if cluster.hashPolicy != nil { hashing += 1 }
        if let position = positions[key] {
            if values[Int(position)].hashPolicy != nil { hashing -= 1 }
            values[Int(position)] = cluster
        } else {
            positions[key] = Int32(values.count)
            values.append(cluster)
        }
    }
}
