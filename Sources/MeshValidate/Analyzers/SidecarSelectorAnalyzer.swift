import MeshDiagnostics
import MeshModel

/// IST0110 and IST0111: which Sidecar applies to a workload must be
/// unambiguous. Istio's `sidecar.SelectorAnalyzer` and `DefaultSelectorAnalyzer`:
///
/// - IST0111: more than one Sidecar without `workloadSelector` in a
///   namespace; each of them is reported.
/// - IST0110: two or more Sidecars whose `workloadSelector.labels` select the
///   same workload in their namespace; each of them is reported once, naming
///   the workloads they share. Workloads are the repository's (Pods, pod
///   templates, WorkloadEntries, declared Proxies), never the implicit ingress
///   gateway meshc assumes for routing.
/// - IST0101 (as istioctl does): a `workloadSelector` that selects no workload
///   in the Sidecar's namespace.
/// - IST0167 IneffectivePolicy, instead of the two above: a Sidecar without
///   selector in a namespace whose manifest puts it in ambient mode
///   (`Injection.isAmbient`), or one selecting a workload enrolled in ambient
///   mode; ambient workloads have no sidecar, so the Sidecar does nothing.
struct SidecarSelectorAnalyzer: Analyzer {
    let codes = [
        Codes.conflictingSidecarWorkloadSelectors, Codes.multipleSidecarsWithoutWorkloadSelectors,
        Codes.referencedResourceNotFound, Codes.ineffectivePolicy,
    ]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let sidecars = mesh.resources(of: .sidecar).compactMap { resource -> (Resource, SidecarSpec)? in
            guard case .sidecar(let spec) = resource.body else { return nil }
            return (resource, spec)
        }
        let ambientNamespaces = Set(mesh.resources(of: .namespace).filter(Injection.isAmbient(namespace:)).map(\.name))
        reportSelectorless(sidecars, ambientNamespaces, &sink)
        reportOverlapping(sidecars, mesh, &sink)
    }

    private func reportSelectorless(_ sidecars: [(Resource, SidecarSpec)], _ ambientNamespaces: Set<String>, _ sink: inout DiagnosticSink) {
        var byNamespace: [String: [Resource]] = [:]
        for (resource, spec) in sidecars where spec.workloadSelector == nil {
            if ambientNamespaces.contains(resource.namespace) {
                sink.report(Codes.ineffectivePolicy, resource, at: resource.nameMark, path: "metadata.name",
                            "the policy has no impact: namespace \(resource.namespace) is in ambient mode, where workloads have no sidecar",
                            hint: "remove the Sidecar, or take the namespace out of ambient mode (istio.io/dataplane-mode) if it should use sidecars")
                continue
            }
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
            // Declared workloads only: the implicit ingress gateway is meshc's assumption for routing,
            // not a pod of the repository (istioctl matches Pods it sees).
            let matches = mesh.workloadIndices(in: resource.namespace, matching: labels).filter { mesh.workloads[$0].resource != nil }
            if matches.isEmpty {
                sink.report(Codes.referencedResourceNotFound, resource, at: labels.mark, path: "spec.workloadSelector.labels",
                            "the workloadSelector matches no workload in namespace \(resource.namespace)",
                            hint: "fix the labels so they match a Pod or pod template in this namespace, or remove the Sidecar")
            }
            let ambient = matches.filter { Injection.isAmbient(mesh.workloads[$0]) }
            if let first = ambient.first {
                sink.report(Codes.ineffectivePolicy, resource, at: labels.mark, path: "spec.workloadSelector.labels",
                            "the policy has no impact on \(mesh.workloads[first].kind) \(mesh.workloads[first].name): it is in ambient mode, "
                                + "where workloads have no sidecar",
                            hint: "remove the Sidecar, or narrow its workloadSelector to workloads that run a sidecar")
            }
            selected[index] = matches.filter { !ambient.contains($0) }
            for workload in selected[index, default: []] { sidecarsByWorkload[workload, default: []].append(index) }
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
