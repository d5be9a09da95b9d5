import MeshDiagnostics
import MeshModel

/// IST0109: no two mesh-bound VirtualServices claim one host.
struct MeshGatewayHostsAnalyzer: Analyzer {
    let codes = [Codes.conflictingMeshGatewayVirtualServiceHosts]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
