import MeshDiagnostics
import MeshModel

/// IST0118: Service port names start with a protocol.
struct PortNameAnalyzer: Analyzer {
    let codes = [Codes.portNameIsNotUnderNamingConvention]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
