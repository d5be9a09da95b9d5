import MeshDiagnostics
import MeshModel

/// IST0140: subset routing in mesh VirtualServices is not expected to reach ingress traffic.
struct IngressSubsetAnalyzer: Analyzer {
    let codes = [Codes.ingressRouteRulesNotAffected]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
