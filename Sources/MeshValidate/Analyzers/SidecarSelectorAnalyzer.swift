import MeshDiagnostics
import MeshModel

/// IST0110/IST0111: Sidecars select workloads unambiguously.
struct SidecarSelectorAnalyzer: Analyzer {
    let codes = [Codes.conflictingSidecarWorkloadSelectors, Codes.multipleSidecarsWithoutWorkloadSelectors]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
