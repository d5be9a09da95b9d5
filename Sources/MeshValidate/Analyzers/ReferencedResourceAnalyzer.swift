import MeshDiagnostics
import MeshModel

/// IST0101: gateways, destination hosts and subsets a VirtualService names exist.
struct ReferencedResourceAnalyzer: Analyzer {
    let codes = [Codes.referencedResourceNotFound]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
