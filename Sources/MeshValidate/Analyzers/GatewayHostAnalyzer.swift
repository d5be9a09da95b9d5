import MeshDiagnostics
import MeshModel

/// IST0132: a VirtualService's hosts are served by its gateways.
struct GatewayHostAnalyzer: Analyzer {
    let codes = [Codes.virtualServiceHostNotFoundInGateway]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
