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
    let runsLong = true

    private static func namespace(_ resource: Resource) -> String { resource.kind == .namespace ? "" : resource.namespace }

    private static func sameIdentity(_ a: Resource, _ b: Resource) -> Bool {
        a.kind == b.kind && a.name == b.name && namespace(a) == namespace(b)
    }

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // An open-addressing table of positions in `resources`, probed from the
        // `ByteHash` of namespace and name: no key holds a reference (a
        // dictionary of 50,000 resource keys spent half its time retaining
        // and releasing them). Position of the first resource declaring an
        // identity → the later ones, for identities seen twice.
        let resources = mesh.resources
        var capacity = 16
        while capacity < 2 * resources.count { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var groups: [Int32: [Resource]] = [:]
        for (position, resource) in resources.enumerated() where !resource.name.isEmpty {
            // Hasher (seeded per process) over the digest, as a Dictionary would: slots a commit cannot aim at.
            var slot = ByteHash.digest(Self.namespace(resource), resource.name).hashValue & mask
            while true {
                let taken = slots[slot]
                if taken < 0 {
                    slots[slot] = Int32(position)
                    break
                }
                let earlier = resources[Int(taken)]
                if Self.sameIdentity(earlier, resource) {
                    groups[taken, default: [earlier]].append(resource)
                    break
                }
                slot = (slot + 1) & mask
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
