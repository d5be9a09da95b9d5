import MeshDiagnostics
import MeshModel

/// IST0128/IST0129: client TLS verifies the server.
struct DestinationRuleTLSAnalyzer: Analyzer {
    let codes = [Codes.noServerCertificateVerificationDestinationLevel, Codes.noServerCertificateVerificationPortLevel]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
