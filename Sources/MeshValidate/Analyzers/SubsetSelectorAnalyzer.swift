import MeshDiagnostics
import MeshModel

/// IST0173: a DestinationRule subset selects no workload of its host. Only
/// hosts that are Kubernetes Services of the mesh with a selector are checked,
/// and only when the Service selects some declared workload (otherwise the
/// workloads are not part of the input and nothing can be said).
struct SubsetSelectorAnalyzer: Analyzer {
    let codes = [Codes.destinationRuleSubsetNotSelectPods]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds.union([.destinationRule, .service, .serviceEntry])

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for rule in mesh.destinationRules where !rule.spec.subsets.isEmpty {
            guard let id = rule.hostID, let serviceIndex = mesh.serviceTable.serviceIndex(forHost: id) else { continue }
            let service = mesh.serviceTable.services[serviceIndex].resource
            let resource = rule.resource, spec = rule.spec
            let selected = mesh.workloadIndices(selectedBy: service)
            guard !selected.isEmpty else { continue }
            for (i, subset) in spec.subsets.enumerated() {
                guard let labels = subset.labels, !labels.isEmpty,
                      !selected.contains(where: { labels.selects(mesh.workloads[$0].labels) }) else { continue }
                let wanted = labels.entries.map { "\($0.key)=\($0.value.value)" }.joined(separator: ",")
                let name = subset.name?.value ?? "#\(i)"
                sink.report(Codes.destinationRuleSubsetNotSelectPods, resource, at: labels.mark, path: "spec.subsets[\(i)].labels",
                            "subset \"\(name)\" (\(wanted)) selects none of the \(selected.count) workload(s) of Service \(service.namespace)/\(service.name)",
                            hint: "Match the subset labels to the workloads' labels, or remove the subset")
            }
        }
    }
}
