import MeshDiagnostics
import MeshModel

/// IST0138: one certificate is not shared by several Gateways.
struct GatewayCertificateAnalyzer: Analyzer {
    let codes = [Codes.gatewayDuplicateCertificate]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
