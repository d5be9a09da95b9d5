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
        // By index: each analyzer is called where it sits in the array (a `for … in` copied
        // the existential out for every file, tens of thousands of times in a lint).
        let analyzers = Analyzers.local
        for index in analyzers.indices {
            for resource in resources { analyzers[index].analyze(resource, &sink) }
        }
        return sink.diagnostics
    }

    /// Every analyzer over the mesh, on all cores, findings in list order
    /// (`analysis` without a previous one).
    package static func analyze(_ mesh: MeshIndex, analyzers: [any Analyzer] = Analyzers.all) -> [Diagnostic] {
        analysis(mesh, analyzers: analyzers).diagnostics
    }
}
