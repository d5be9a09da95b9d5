import MeshDiagnostics
import MeshModel

/// MSH0006: no kind/namespace/name is declared twice.
struct DuplicateResourceAnalyzer: Analyzer {
    let codes = [Codes.duplicateResource]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
