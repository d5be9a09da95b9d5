import MeshDiagnostics
import MeshModel

/// IST0130/IST0131: every rule and match can take effect.
struct VirtualServiceRuleAnalyzer: Analyzer {
    let codes = [Codes.virtualServiceUnreachableRule, Codes.virtualServiceIneffectiveMatch]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Filled in by its owner; reports nothing yet.
    }
}
