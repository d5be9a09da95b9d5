import MeshDiagnostics
import MeshModel

/// MSH0006: one kind/namespace/name declared more than once. Applying the
/// files keeps only the last copy, so the others are silently lost.
///
/// The first declaration (by file, then position) stands; every later one is
/// reported at its `metadata.name`, naming where the first is. Namespaces are
/// cluster-scoped, so for them the name alone counts. Resources without a name
/// are MSH0005's and are skipped.
struct DuplicateResourceAnalyzer: Analyzer {
    let codes = [Codes.duplicateResource]
    let readsIdentitiesOnly = true

    private struct Key: Hashable {
        var kind: ResourceKind
        var namespace: String
        var name: String
        /// `ByteHash` of namespace and name, computed once: the table hashes
        /// this integer instead of both strings (which was most of the time).
        var digest: UInt64

        init(kind: ResourceKind, namespace: String, name: String) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
            digest = ByteHash.digest(namespace, name)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.digest == b.digest && a.kind == b.kind && a.name == b.name && a.namespace == b.namespace
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(digest)
        }
    }

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Key → the first resource declaring it; a group is only built for keys seen twice.
        var first: [Key: Resource] = [:]
        first.reserveCapacity(mesh.resources.count)
        var groups: [Key: [Resource]] = [:]
        for resource in mesh.resources where !resource.name.isEmpty {
            let namespace = resource.kind == .namespace ? "" : resource.namespace
            let key = Key(kind: resource.kind, namespace: namespace, name: resource.name)
            if let earlier = first.updateValue(resource, forKey: key) {
                first[key] = earlier
                groups[key, default: [earlier]].append(resource)
            }
        }
        for group in groups.values {
            let ordered = group.sorted { ($0.file, $0.nameMark) < ($1.file, $1.nameMark) }
            let first = ordered[0]
            let identity = first.kind == .namespace ? first.name : "\(first.namespace)/\(first.name)"
            for duplicate in ordered.dropFirst() {
                sink.report(Codes.duplicateResource, duplicate, at: duplicate.nameMark, path: "metadata.name",
                            "\(first.kind.rawValue) \(identity) is already declared at \(first.file):\(first.nameMark.line)",
                            hint: "remove one of the copies or rename it; applying both keeps only the last")
            }
        }
    }
}
