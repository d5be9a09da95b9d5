import MeshDiagnostics
import MeshModel

/// IST0134: TCP ServiceEntry ports have addresses.
struct ServiceEntryAddressAnalyzer: Analyzer {
    let codes = [Codes.serviceEntryAddressesRequired]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
