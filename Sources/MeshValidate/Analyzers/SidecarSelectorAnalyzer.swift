import MeshDiagnostics
import MeshModel

/// IST0110 and IST0111: which Sidecar applies to a workload must be
/// unambiguous. Istio's `sidecar.SelectorAnalyzer` and `DefaultSelectorAnalyzer`:
///
/// - IST0111: more than one Sidecar without `workloadSelector` in a
///   namespace; each of them is reported.
/// - IST0110: two or more Sidecars whose `workloadSelector.labels` select the
///   same workload in their namespace; each of them is reported once, naming
///   the workloads they share.
/// - IST0101 (as istioctl does): a `workloadSelector` that selects no workload
///   in the Sidecar's namespace.
struct SidecarSelectorAnalyzer: Analyzer {
    let codes = [
        Codes.conflictingSidecarWorkloadSelectors, Codes.multipleSidecarsWithoutWorkloadSelectors,
        Codes.referencedResourceNotFound,
    ]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let sidecars = mesh.resources(of: .sidecar).compactMap { resource -> (Resource, SidecarSpec)? in
            guard case .sidecar(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        reportSelectorless(sidecars, &sink)
        reportOverlapping(sidecars, mesh, &sink)
    }

    private func reportSelectorless(_ sidecars: [(Resource, SidecarSpec)], _ sink: inout DiagnosticSink) {
        var byNamespace: [String: [Resource]] = [:]
        for (resource, spec) in sidecars where spec.workloadSelector == nil {
            byNamespace[resource.namespace, default: []].append(resource)
        }
        for (namespace, group) in byNamespace where group.count > 1 {
            let names = group.map(\.name).sorted().joined(separator: ", ")
            for resource in group {
                sink.report(Codes.multipleSidecarsWithoutWorkloadSelectors, resource, at: resource.nameMark, path: "metadata.name",
                            "namespace \(namespace) has several Sidecars without a workloadSelector (\(names)); Istio applies only one of them",
                            hint: "keep one namespace-wide Sidecar and give the others a workloadSelector")
            }
        }
    }

    private func reportOverlapping(_ sidecars: [(Resource, SidecarSpec)], _ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // Sidecar index → indices of the workloads it selects.
        var selected: [Int: [Int]] = [:]
        var sidecarsByWorkload: [Int: [Int]] = [:]
        for (index, (resource, spec)) in sidecars.enumerated() {
            guard let labels = spec.workloadSelector?.labels, !labels.isEmpty else { continue }
            let matches = mesh.workloadIndices(in: resource.namespace, matching: labels)
            if matches.isEmpty {
                sink.report(Codes.referencedResourceNotFound, resource, at: labels.mark, path: "spec.workloadSelector.labels",
                            "the workloadSelector matches no workload in namespace \(resource.namespace)",
                            hint: "fix the labels so they match a Pod or pod template in this namespace, or remove the Sidecar")
            }
            selected[index] = matches
            for workload in matches { sidecarsByWorkload[workload, default: []].append(index) }
        }
        for index in selected.keys.sorted() {
            let (resource, spec) = sidecars[index]
            let shared = selected[index, default: []].filter { sidecarsByWorkload[$0, default: []].count > 1 }
            guard !shared.isEmpty, let labels = spec.workloadSelector?.labels else { continue }
            let others = Set(shared.flatMap { sidecarsByWorkload[$0, default: []] }).subtracting([index])
                .map { sidecars[$0].0.name }.sorted().joined(separator: ", ")
            let workloads = shared.map { "\(mesh.workloads[$0].kind) \(mesh.workloads[$0].name)" }.joined(separator: ", ")
            sink.report(Codes.conflictingSidecarWorkloadSelectors, resource, at: labels.mark, path: "spec.workloadSelector.labels",
                        "selects \(workloads), also selected by Sidecar \(others); Istio applies only one Sidecar per workload",
                        hint: "narrow the workloadSelectors so each workload is selected by one Sidecar, or merge the Sidecars")
        }
    }
}
