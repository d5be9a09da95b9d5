import Dispatch
import MeshDiagnostics
import MeshModel

/// The cross-resource analyzers' findings over one index, each with the
/// resource it is about: what the next lint, over an index built on this
/// one, takes over where the analyzers' `reads` say nothing they depend on
/// changed (`Validation.analysis`).
package final class Analysis: Sendable {
    struct Finding: Sendable {
        var diagnostic: Diagnostic
        var subject: Resource?
    }

    package let index: MeshIndex
    /// The analyzers' type names, in order: findings are taken over only for the same list.
    let analyzers: [String]
    /// Per analyzer, in list order, its findings.
    let findings: [[Finding]]
    /// How many analyzers ran whole, ran on new VirtualServices only, or were taken over.
    package let ran: (whole: Int, newVirtualServices: Int, keptFindings: Int)

    init(index: MeshIndex, analyzers: [String], findings: [[Finding]], ran: (Int, Int, Int)) {
        self.index = index
        self.analyzers = analyzers
        self.findings = findings
        self.ran = ran
    }

    /// Every finding, in analyzer order.
    package var diagnostics: [Diagnostic] { findings.flatMap { $0.map(\.diagnostic) } }
}

extension Validation {
    /// The analyzers over `mesh`, on all cores. Each analyzer reports into
    /// its own sink and the findings are kept in list order, so the output is
    /// the same as one after the other; the index is read-only once built,
    /// which is what makes sharing it between threads safe. With `previous`
    /// (an analysis of the index `mesh` was built over, same analyzers and
    /// config), an analyzer none of whose `reads` kinds changed keeps its
    /// last findings, and a `perVirtualService` one whose other kinds did not
    /// change runs on the new VirtualServices only (so does one that reads
    /// across VirtualServices when `keepsOthers` says the change leaves the
    /// findings about the others alone).
    package static func analysis(_ mesh: MeshIndex, analyzers: [any Analyzer] = Analyzers.all, previous: Analysis? = nil) -> Analysis {
        // `_typeName`, not `String(describing:)`: that one searches every protocol conformance
        // of the process on first use, a quarter of a one-file lint (the pre-commit hook's case).
        let names = analyzers.map { _typeName(type(of: $0), qualified: false) }
        let base = previous.flatMap { $0.analyzers == names && $0.index.config == mesh.config ? $0 : nil }
        let change = base.map { mesh.change(since: $0.index) }
        var view: MeshIndex?
        // The VirtualServices the change added and removed; for `keepsOthers`, as the two indexes routed them.
        var added = Set<ObjectIdentifier>(), removed = Set<ObjectIdentifier>()
        var routed: (added: [RoutedVirtualService], removed: [RoutedVirtualService])?
        if let base, let change {
            added = Set(change.added.lazy.filter { $0.kind == .virtualService }.map(ObjectIdentifier.init))
            removed = Set(change.removed.lazy.filter { $0.kind == .virtualService }.map(ObjectIdentifier.init))
            if analyzers.contains(where: \.perVirtualService) { view = mesh.restricted(toVirtualServices: added) }
            if analyzers.contains(where: { !$0.perVirtualService && $0.reads?.contains(.virtualService) == true }) {
                routed = (mesh.virtualServices.filter { added.contains(ObjectIdentifier($0.resource)) },
                          base.index.virtualServices.filter { removed.contains(ObjectIdentifier($0.resource)) })
            }
        }
        enum Run { case whole, newVirtualServices, kept }
        var results = [(findings: [Analysis.Finding], run: Run)](repeating: ([], .whole), count: analyzers.count)
        // The long-running ones first (`Analyzer.runsLong`), the others in list order; findings stay in list order.
        let order = analyzers.indices.filter { analyzers[$0].runsLong } + analyzers.indices.filter { !analyzers[$0].runsLong }
        results.withUnsafeMutableBufferPointer { slots in
            // Each iteration writes only its own slot.
            DispatchQueue.concurrentPerform(iterations: analyzers.count) { step in
                let index = order[step]
                let analyzer = analyzers[index]
                if let base, let change, analyzer.readsIdentitiesOnly, change.keepsIdentities {
                    slots[index] = (base.findings[index], .kept)
                    return
                }
                if let base, let change, let reads = analyzer.reads {
                    if reads.isSubset(of: change.unchanged) {
                        slots[index] = (base.findings[index], .kept)
                        return
                    }
                    if analyzer.perVirtualService, let view, reads.subtracting([.virtualService]).isSubset(of: change.unchanged),
                       let kept = keptFindings(base.findings[index], removed: removed) {
                        var sink = DiagnosticSink()
                        analyzer.analyze(view, &sink)
                        slots[index] = (kept + sink.findings, .newVirtualServices)
                        return
                    }
                    if let routed, reads.subtracting([.virtualService]).isSubset(of: change.unchanged),
                       analyzer.keepsOthers(added: routed.added, removed: routed.removed),
                       let kept = keptFindings(base.findings[index], removed: removed) {
                        var sink = DiagnosticSink()
                        analyzer.analyze(mesh, subjects: added, &sink)
                        slots[index] = (kept + sink.findings, .newVirtualServices)
                        return
                    }
                }
                var sink = DiagnosticSink()
                analyzer.analyze(mesh, &sink)
                slots[index] = (sink.findings, .whole)
            }
        }
        let ran = (results.count { $0.run == .whole }, results.count { $0.run == .newVirtualServices }, results.count { $0.run == .kept })
        return Analysis(index: mesh, analyzers: names, findings: results.map(\.findings), ran: ran)
    }

    /// The last findings about VirtualServices still in the mesh; nil when
    /// one is about anything else (then the analyzer runs whole).
    private static func keptFindings(_ findings: [Analysis.Finding], removed: Set<ObjectIdentifier>) -> [Analysis.Finding]? {
        var kept: [Analysis.Finding] = []
        for finding in findings {
            guard let subject = finding.subject, subject.kind == .virtualService else { return nil }
            if !removed.contains(ObjectIdentifier(subject)) { kept.append(finding) }
        }
        return kept
    }
}
