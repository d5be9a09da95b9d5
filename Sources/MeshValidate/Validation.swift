import MeshDiagnostics
import MeshModel

/// The Validate stage: field rules per resource, then the cross-resource
/// analyzers over the whole mesh.
public enum Validation {
    /// Field rules for a batch of resources (safe to run per file, in parallel).
    public static func validateFields(_ resources: [Resource]) -> [Diagnostic] {
        var sink = DiagnosticSink()
        for resource in resources { FieldValidation.validate(resource, &sink) }
        return sink.diagnostics
    }

    /// Every analyzer over the mesh.
    public static func analyze(_ mesh: MeshIndex, analyzers: [any Analyzer] = Analyzers.all) -> [Diagnostic] {
        var sink = DiagnosticSink()
        for analyzer in analyzers { analyzer.analyze(mesh, &sink) }
        return sink.diagnostics
    }
}
