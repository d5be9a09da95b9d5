import MeshModel

/// Posting lists over workload labels: for each `key=value`, the indices of
/// the workloads carrying it, per namespace and across all namespaces.
/// Selection reads the shortest list instead of scanning every workload.
struct LabelIndex {
    /// One label in one namespace (nil: any namespace). A struct key, so a
    /// lookup hashes the strings it has instead of building a new one.
    private struct Posting: Hashable {
        var namespace: String?
        var key: String
        var value: String
    }

    private var postings: [Posting: [Int]] = [:]
    private var namespaces: [String: [Int]] = [:]
    private let count: Int

    init(_ workloads: [Workload]) {
        count = workloads.count
        postings.reserveCapacity(workloads.count * 4)
        for (index, workload) in workloads.enumerated() {
            namespaces[workload.namespace, default: []].append(index)
            for entry in workload.labels.entries {
                postings[Posting(namespace: workload.namespace, key: entry.key, value: entry.value.value), default: []].append(index)
                postings[Posting(namespace: nil, key: entry.key, value: entry.value.value), default: []].append(index)
            }
        }
    }

    /// Indices (ascending) of the workloads in `namespace` (nil: any) that
    /// carry every label of `selector`; an empty selector takes them all.
    func indices(in namespace: String?, matching selector: StringMap, of workloads: [Workload]) -> [Int] {
        guard !selector.isEmpty else {
            guard let namespace else { return Array(0..<count) }
            return namespaces[namespace] ?? []
        }
        var shortest: [Int]?
        for entry in selector.entries {
            guard let list = postings[Posting(namespace: namespace, key: entry.key, value: entry.value.value)] else { return [] }
            if list.count < (shortest?.count ?? Int.max) { shortest = list }
        }
        // Filtered even for one label: a workload listing a key twice is
        // posted under both values, but only the first counts (StringMap's subscript).
        return (shortest ?? []).filter { workloads[$0].matches(selector) }
    }
}
