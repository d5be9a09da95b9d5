import MeshDiagnostics
import MeshModel

/// IST0116/IST0137: Services agree on a workload port's protocol and target.
struct ServicePortProtocolAnalyzer: Analyzer {
    let codes = [Codes.deploymentAssociatedToMultipleServices, Codes.deploymentConflictingPorts]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
