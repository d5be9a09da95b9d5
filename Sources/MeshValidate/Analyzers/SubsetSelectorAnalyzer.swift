import MeshDiagnostics
import MeshModel

/// IST0173: each DestinationRule subset selects a workload.
struct SubsetSelectorAnalyzer: Analyzer {
    let codes = [Codes.destinationRuleSubsetNotSelectPods]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
