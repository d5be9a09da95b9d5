import MeshDiagnostics
import MeshModel

/// IST0127: policy selectors match some workload.
struct WorkloadSelectorAnalyzer: Analyzer {
    let codes = [Codes.noMatchingWorkloadsFound]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
