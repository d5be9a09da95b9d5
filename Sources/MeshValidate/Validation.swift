import MeshDiagnostics
import MeshModel

/// The Validate stage: field rules per resource, then the cross-resource
/// analyzers over the whole mesh.
package enum Validation {
    /// Field rules for a batch of resources (safe to run per file, in parallel).
    package static func validateFields(_ resources: [Resource]) -> [Diagnostic] {
        var sink = DiagnosticSink()
        for resource in resources { FieldValidation.validate(resource, &sink) }
        return sink.diagnostics
    }

    /// The `LocalAnalyzer`s over a batch of resources (one file's: safe to run
    /// per file, in parallel), findings in analyzer order as `analyze` gives them.
    package static func analyzeLocal(_ resources: [Resource]) -> [Diagnostic] {
        var sink = DiagnosticSink()
        // Each analyzer opened once and read where it sits in the array (a `for … in` over the
        // existentials copied each out, for every file: tens of thousands of copies in a lint).
        let analyzers = Analyzers.local
        for index in analyzers.indices { analyze(resources, with: analyzers[index], &sink) }
        return sink.diagnostics
    }

    private static func analyze(_ resources: [Resource], with analyzer: borrowing some LocalAnalyzer, _ sink: inout DiagnosticSink) {
        for resource in resources { analyzer.analyze(resource, &sink) }
    }

    /// Every analyzer over the mesh, on all cores, findings in list order
    /// (`analysis` without a previous one).
    package static func analyze(_ mesh: MeshIndex, analyzers: [any Analyzer] = Analyzers.all) -> [Diagnostic] {
        analysis(mesh, analyzers: analyzers).diagnostics
    }
}
