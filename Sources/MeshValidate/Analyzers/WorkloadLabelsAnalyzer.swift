import MeshDiagnostics
import MeshModel

/// MSH0007: workloads carry `app` and `version` labels.
struct WorkloadLabelsAnalyzer: Analyzer {
    let codes = [Codes.workloadMissingAppVersionLabels]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
