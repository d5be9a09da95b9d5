import MeshDiagnostics
import MeshModel

/// IST0145: Gateways on one workload and port do not overlap in hosts.
struct ConflictingGatewaysAnalyzer: Analyzer {
    let codes = [Codes.conflictingGateways]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
