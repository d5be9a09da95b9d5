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

    /// A resource's identity: its kind, namespace (none for Namespaces) and
    /// name, read from the resource itself (a key copies no string).
    private struct Key: Hashable {
        let resource: Resource
        /// `ByteHash` of namespace and name, computed once: the table hashes
        /// this integer instead of both strings (which was most of the time).
        let digest: UInt64

        init(_ resource: Resource) {
            self.resource = resource
            digest = ByteHash.digest(Self.namespace(resource), resource.name)
        }

        static func namespace(_ resource: Resource) -> String { resource.kind == .namespace ? "" : resource.namespace }

        static func == (a: Key, b: Key) -> Bool {
            a.digest == b.digest && a.resource.kind == b.resource.kind && a.resource.name == b.resource.name
                && namespace(a.resource) == namespace(b.resource)
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
            let key = Key(resource)
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
