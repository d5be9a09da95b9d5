import MeshDiagnostics
import MeshModel

/// IST0162: a Gateway port is exposed by the gateway workload's Service.
struct GatewayPortAnalyzer: Analyzer {
    let codes = [Codes.gatewayPortNotDefinedOnService]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
