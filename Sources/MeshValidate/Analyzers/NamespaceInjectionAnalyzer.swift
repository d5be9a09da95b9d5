import MeshDiagnostics
import MeshModel

/// IST0102: a Namespace manifest without `istio-injection` or `istio.io/rev`
/// label, so the pods created in it get no sidecar. istioctl's
/// `injection.Analyzer`: `istio-system`, the Kubernetes system namespaces and
/// ambient namespaces (`istio.io/dataplane-mode: ambient`) are skipped; an
/// empty `istio-injection` counts as none.
///
/// istioctl reports every such Namespace; meshc only those holding a Pod or
/// pod template in the linted manifests, so a namespace kept for
/// configuration alone is not reported. Namespaces without a manifest are not
/// reported either: their labels are unknown.
struct NamespaceInjectionAnalyzer: Analyzer {
    let codes = [Codes.namespaceNotInjected]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        var workloads: [String: [Resource]] = [:]
        for resource in mesh.resources {
            if case .workload = resource.body { workloads[resource.namespace, default: []].append(resource) }
        }
        for namespace in mesh.resources(of: .namespace) {
            let name = namespace.name
            guard name != "istio-system", !SystemNamespaces.contains(name),
                  namespace.labels[Injection.dataplaneModeLabel] != "ambient",
                  (namespace.labels[Injection.namespaceLabel] ?? "").isEmpty, namespace.labels[Injection.revisionLabel] == nil,
                  let held = workloads[name], !held.isEmpty else { continue }
            let names = held.prefix(3).map { "\($0.kind.rawValue) \($0.name)" }.joined(separator: ", ") + (held.count > 3 ? ", …" : "")
            sink.report(Codes.namespaceNotInjected, namespace, at: namespace.nameMark, path: "metadata.name",
                        "namespace \(name) is not enabled for Istio injection, so its pods (\(names)) get no sidecar",
                        hint: "label the Namespace istio-injection: enabled (or istio.io/rev: <revision>) to enable injection, "
                            + "or istio-injection: disabled to mark it as deliberately outside the mesh")
        }
    }
}
