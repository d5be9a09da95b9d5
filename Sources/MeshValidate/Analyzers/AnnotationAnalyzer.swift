import MeshDiagnostics
import MeshModel

/// IST0108: every `*.istio.io` annotation is one Istio knows.
struct AnnotationAnalyzer: Analyzer {
    let codes = [Codes.unknownAnnotation]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
