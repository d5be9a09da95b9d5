import MeshDiagnostics
import MeshModel

/// A cross-resource check. Analyzers read the whole mesh and report values;
/// they never throw and never change the index.
package protocol Analyzer: Sendable {
    /// The codes this analyzer may report (the catalogue test checks them).
    var codes: [DiagnosticCode] { get }
    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink)
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
