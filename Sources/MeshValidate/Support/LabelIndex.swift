import MeshModel

/// Posting lists over workload labels: for each `key=value`, the indices of
/// the workloads carrying it, per namespace and across all namespaces.
/// Selection reads the shortest list instead of scanning every workload.
struct LabelIndex {
    /// One label in one namespace (nil: any namespace). A struct key, so a
    /// lookup hashes the strings it has instead of building a new one; and
    /// it hashes them once, with `ByteHash`, feeding `Hasher` only the digest.
    private struct Posting: Hashable {
        var namespace: String?
        var key: String
        var value: String
        var digest: UInt64

        /// The posting of label `key=value` in any namespace.
        init(key: String, value: String) {
            self.key = key
            self.value = value
            digest = ByteHash.digest(key, value)
        }

        /// The same label in `namespace`.
        func within(_ namespace: String?) -> Posting {
            guard let namespace else { return self }
            var posting = self
            posting.namespace = namespace
            var hash = ByteHash(value: digest)
            hash.combine(namespace)
            posting.digest = hash.value
            return posting
        }

        static func == (a: Posting, b: Posting) -> Bool {
            a.digest == b.digest && a.key == b.key && a.value == b.value && a.namespace == b.namespace
        }

        func hash(into hasher: inout Hasher) { hasher.combine(digest) }
    }

    /// Per namespace; a query over every namespace unions them (building
    /// cross-namespace lists too would double the work for a rare query).
    private var postings: [Posting: [Int]] = [:]
    private var namespaces: [String: [Int]] = [:]
    /// Namespaces in the order first seen.
    private var namespaceNames: [String] = []
    private let count: Int

    init(_ workloads: [Workload]) {
        count = workloads.count
        postings.reserveCapacity(workloads.count * 2)
        for index in workloads.indices {
            let workload = workloads[index]
            if namespaces[workload.namespace]?.append(index) == nil {
                namespaces[workload.namespace] = [index]
                namespaceNames.append(workload.namespace)
            }
            for entry in workload.labels.entries {
                postings[Posting(key: entry.key, value: entry.value.value).within(workload.namespace), default: []].append(index)
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
        let wanted = selector.entries.map { Posting(key: $0.key, value: $0.value.value) }
        guard let namespace else {
            var result: [Int] = []
            for namespace in namespaceNames { result += indices(in: namespace, wanted, selector, workloads) }
            // Namespaces interleave in resource order.
            result.sort()
            return result
        }
        return indices(in: namespace, wanted, selector, workloads)
    }

    private func indices(in namespace: String, _ wanted: [Posting], _ selector: StringMap, _ workloads: [Workload]) -> [Int] {
        var shortest: [Int]?
        for posting in wanted {
            guard let list = postings[posting.within(namespace)] else { return [] }
            if list.count < (shortest?.count ?? Int.max) { shortest = list }
        }
        // Filtered even for one label: a workload listing a key twice is
        // posted under both values, but only the first counts (StringMap's subscript).
        return (shortest ?? []).filter { selector.selects(workloads[$0].labels) }
    }
}
