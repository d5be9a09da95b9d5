import MeshDiagnostics
import MeshModel

/// The injection labels of Namespace manifests, after istioctl's
/// `injection.Analyzer` (`istio-system` and the Kubernetes system namespaces
/// are skipped):
///
/// - IST0102 NamespaceNotInjected: neither `istio-injection` nor
///   `istio.io/rev` (an empty `istio-injection` counts as none), so the pods
///   created in it get no sidecar.
/// - IST0148 NamespaceInjectionEnabledByDefault, instead of IST0102, when the
///   repository's injector ConfigMap (`istio-sidecar-injector`, or
///   `istio-sidecar-injector-<revision>`) says Istio was installed with
///   `sidecarInjectorWebhook.enableNamespacesByDefault: true`: then such a
///   namespace *is* injected, and istioctl says so at info level.
/// - IST0123 NamespaceMultipleInjectionLabels: both a non-empty
///   `istio-injection` and `istio.io/rev`; which injector takes the pods
///   depends on the webhooks' order.
///
/// istioctl reports IST0102 and IST0148 for every such Namespace; meshc only
/// for those holding a Pod or pod template in the linted manifests, so a
/// namespace kept for configuration alone is not reported, and skips ambient
/// namespaces (`istio.io/dataplane-mode: ambient`). Namespaces without a
/// manifest are not reported either: their labels are unknown.
struct NamespaceInjectionAnalyzer: Analyzer {
    let codes = [Codes.namespaceNotInjected, Codes.namespaceInjectionEnabledByDefault, Codes.namespaceMultipleInjectionLabels]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds.union(ResourceKind.injectorKinds).union([.namespace])

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        var workloads: [String: [Resource]] = [:]
        for resource in mesh.resources {
            if case .workload = resource.body { workloads[resource.namespace, default: []].append(resource) }
        }
        for namespace in mesh.resources(of: .namespace) {
            let name = namespace.name
            guard name != "istio-system", !SystemNamespaces.contains(name) else { continue }
            let injection = namespace.labels[Injection.namespaceLabel] ?? ""
            let revision = namespace.labels[Injection.revisionLabel]
            if let revision, !injection.isEmpty {
                reportBothLabels(namespace, injection: injection, revision: revision, &sink)
                continue
            }
            guard injection.isEmpty, revision == nil, namespace.labels[Injection.dataplaneModeLabel] != "ambient",
                  let held = workloads[name], !held.isEmpty else { continue }
            let names = held.prefix(3).map { "\($0.kind.rawValue) \($0.name)" }.joined(separator: ", ") + (held.count > 3 ? ", …" : "")
            if SidecarInjector.enableNamespacesByDefault(mesh, revision: "") {
                sink.report(Codes.namespaceInjectionEnabledByDefault, namespace, at: namespace.nameMark, path: "metadata.name",
                            "namespace \(name) has no injection label but is enabled for Istio injection, as Istio is installed with "
                                + "enableNamespacesByDefault as true (ConfigMap \(ConfigMapSpec.injectorName)); its pods (\(names)) get a sidecar",
                            hint: "nothing to do if that is intended; label the Namespace istio-injection: enabled to say so, "
                                + "or istio-injection: disabled to keep it outside the mesh")
                continue
            }
            sink.report(Codes.namespaceNotInjected, namespace, at: namespace.nameMark, path: "metadata.name",
                        "namespace \(name) is not enabled for Istio injection, so its pods (\(names)) get no sidecar",
                        hint: "label the Namespace istio-injection: enabled (or istio.io/rev: <revision>) to enable injection, "
                            + "or istio-injection: disabled to mark it as deliberately outside the mesh")
        }
    }

    private func reportBothLabels(_ namespace: Resource, injection: String, revision: String, _ sink: inout DiagnosticSink) {
        let entry = namespace.labels.entries.first { $0.key == Injection.namespaceLabel }
        sink.report(Codes.namespaceMultipleInjectionLabels, namespace, at: entry?.value.mark ?? namespace.nameMark,
                    path: "metadata.labels.\(Injection.namespaceLabel)",
                    "namespace \(namespace.name) has more than one type of injection label (\(Injection.namespaceLabel): \(injection), "
                        + "\(Injection.revisionLabel): \(revision)), which may lead to undefined behavior",
                    hint: "keep only one injection label: istio.io/rev for a revisioned control plane, istio-injection otherwise")
    }
}
