import MeshDiagnostics
import MeshModel

/// A cross-resource check. Analyzers read the whole mesh and report values;
/// they never throw and never change the index.
package protocol Analyzer: Sendable {
    /// The codes this analyzer may report (the catalogue test checks them).
    var codes: [DiagnosticCode] { get }
    /// Every kind of resource its findings can depend on, through the
    /// index or directly; nil (the default) for any. A lint over the last
    /// one's index (`Analysis`) keeps the last findings while none of these
    /// kinds changed. Declare only what the code shows: a kind left out is a
    /// stale finding (`IndexUpdateTests` drops and re-reads random files of
    /// the catalogue to catch one).
    var reads: Set<ResourceKind>? { get }
    /// True when each finding is about one VirtualService and depends on
    /// it and on the other `reads` kinds only, never on another
    /// VirtualService: while those kinds are unchanged, a lint over the last
    /// index runs it on the new VirtualServices only and keeps the last
    /// findings about the others.
    var perVirtualService: Bool { get }
    /// True when its findings depend on each resource's identity alone:
    /// kind, namespace, name, file and where the name is written. A commit
    /// that replaces resources with ones of the same identities (an edited
    /// spec) keeps the last findings, whatever `reads` says.
    var readsIdentitiesOnly: Bool { get }
    /// True for the few that take longest over a large mesh (a 10k mesh:
    /// `MeshBench lint DIR --analyzers`): `Validation.analysis` starts them
    /// first, so that the last ones still running beside an idle core are
    /// short. Affects when it runs, never its findings or their order.
    var runsLong: Bool { get }
    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink)
    /// For an analyzer whose findings are each about one VirtualService but
    /// read other VirtualServices too: true when a change that added `added`
    /// and removed `removed` (the other `reads` kinds unchanged) leaves the
    /// findings about every other VirtualService as they were. A lint over
    /// the last index then keeps those and runs `analyze(_:subjects:_:)`.
    func keepsOthers(added: [RoutedVirtualService], removed: [RoutedVirtualService]) -> Bool
    /// The findings about the VirtualServices in `subjects` alone, over the whole index.
    func analyze(_ mesh: MeshIndex, subjects: Set<ObjectIdentifier>, _ sink: inout DiagnosticSink)
}

extension Analyzer {
    package var reads: Set<ResourceKind>? { nil }
    package var perVirtualService: Bool { false }
    package var readsIdentitiesOnly: Bool { false }
    package var runsLong: Bool { false }
    package func keepsOthers(added: [RoutedVirtualService], removed: [RoutedVirtualService]) -> Bool { false }
    /// The whole run, its findings about `subjects` kept: an analyzer that says `keepsOthers` overrides it to do less.
    package func analyze(_ mesh: MeshIndex, subjects: Set<ObjectIdentifier>, _ sink: inout DiagnosticSink) {
        wholeRun(mesh, about: subjects, &sink)
    }

    /// `analyze(_:_:)` over the whole index, only its findings about `subjects` kept
    /// (the default subjects path, and an override's way out where its shortcut does not hold).
    func wholeRun(_ mesh: MeshIndex, about subjects: Set<ObjectIdentifier>, _ sink: inout DiagnosticSink) {
        var all = DiagnosticSink()
        analyze(mesh, &all)
        sink.append(all, about: subjects)
    }
}

extension ResourceKind {
    /// The kinds workloads are read from (`Workload.from`).
    static let workloadKinds: Set<ResourceKind> = [.pod, .deployment, .statefulSet, .daemonSet, .replicaSet, .job, .workloadEntry, .proxy]
    /// What `SidecarInjector` reads: the webhooks and the injector's ConfigMap.
    static let injectorKinds: Set<ResourceKind> = [.mutatingWebhookConfiguration, .configMap]
}

/// An analyzer whose findings about a resource depend on that resource
/// alone. The linter runs these per file (`Validation.analyzeLocal`), where
/// the parse cache keeps their findings with the file's: a new commit
/// re-checks only the files it changed. Over an index they run as any other.
package protocol LocalAnalyzer: Analyzer {
    func analyze(_ resource: Resource, _ sink: inout DiagnosticSink)
}

extension LocalAnalyzer {
    package func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for resource in mesh.resources { analyze(resource, &sink) }
    }
}
