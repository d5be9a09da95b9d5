import MeshDiagnostics
import MeshModel

/// IST0174: a DestinationRule's host is a known service.
struct DestinationRuleHostAnalyzer: Analyzer {
    let codes = [Codes.unknownDestinationRuleHost]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
