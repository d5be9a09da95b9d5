import MeshDiagnostics
import MeshModel

/// IST0112: a destination with several ports names one.
struct DestinationPortAnalyzer: Analyzer {
    let codes = [Codes.virtualServiceDestinationPortSelectorRequired]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
