import MeshDiagnostics
import MeshModel

/// IST0127: a policy's workload selector matches no workload, so the policy
/// does nothing.
///
/// istioctl checks AuthorizationPolicy only (`authz.AuthorizationPoliciesAnalyzer`):
/// a selector must match a workload in the policy's namespace, or anywhere
/// when the policy is in the root namespace; a selector-less policy outside
/// the root namespace must have some workload in its namespace. meshc applies
/// the selector rule also to PeerAuthentication and RequestAuthentication
/// selectors and DestinationRule `workloadSelector`s. Policies bound with
/// `targetRef(s)` are left alone (they attach to Gateways and Services).
/// Sidecar selectors are SidecarSelectorAnalyzer's (IST0101, as istioctl does).
struct WorkloadSelectorAnalyzer: Analyzer {
    let codes = [Codes.noMatchingWorkloadsFound]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds.union([.authorizationPolicy, .peerAuthentication, .requestAuthentication, .destinationRule])

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for resource in mesh.resources {
            switch resource.body {
            case .authorizationPolicy(let spec):
                guard spec.targetRefs.isEmpty else { continue }
                if let selector = spec.selector {
                    check(selector.matchLabels, path: "spec.selector.matchLabels", resource, mesh, &sink)
                } else {
                    checkNamespaceWide(resource, mesh, &sink)
                }
            case .peerAuthentication(let spec):
                if let selector = spec.selector { check(selector.matchLabels, path: "spec.selector.matchLabels", resource, mesh, &sink) }
            case .requestAuthentication(let spec):
                guard spec.targetRefs.isEmpty, let selector = spec.selector else { continue }
                check(selector.matchLabels, path: "spec.selector.matchLabels", resource, mesh, &sink)
            case .destinationRule(let spec):
                // DestinationRule takes the security API's selector: `matchLabels` (meshc also reads `labels`).
                if let selector = spec.workloadSelector { check(selector.labels, path: "spec.workloadSelector.matchLabels", resource, mesh, &sink) }
            default:
                continue
            }
        }
    }

    private func check(_ labels: StringMap, path: String, _ resource: Resource, _ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        guard mesh.workloads(in: resource.namespace, matching: labels).isEmpty else { return }
        let selector = labels.isEmpty ? "{}" : labels.entries.map { "\($0.key)=\($0.value.value)" }.joined(separator: ",")
        let scope = resource.namespace == mesh.config.rootNamespace
            ? "any namespace" : "namespace \(resource.namespace)"
        sink.report(Codes.noMatchingWorkloadsFound, resource, at: labels.mark, path: path,
                    "selector \"\(selector)\" matches no workload in \(scope), so this \(resource.kind.rawValue) applies to nothing",
                    hint: "fix the labels so they match a Pod or pod template, or remove the \(resource.kind.rawValue)")
    }

    private func checkNamespaceWide(_ resource: Resource, _ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        let namespace = resource.namespace
        guard namespace != mesh.config.rootNamespace, !mesh.workloads.contains(where: { $0.namespace == namespace }) else { return }
        let mark = resource.metadata.namespace?.mark ?? resource.nameMark
        sink.report(Codes.noMatchingWorkloadsFound, resource, at: mark,
                    path: resource.metadata.namespace == nil ? "metadata.name" : "metadata.namespace",
                    "namespace \(namespace) has no workload, so this namespace-wide AuthorizationPolicy applies to nothing",
                    hint: "move the policy to the namespace of the workloads it should protect")
    }
}
