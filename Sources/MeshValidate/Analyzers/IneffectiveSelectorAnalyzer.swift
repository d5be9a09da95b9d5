import MeshDiagnostics
import MeshModel

/// IST0166: a policy's workload `selector` matches the pods of a Kubernetes
/// (Gateway API) Gateway. Istio attaches policies to such gateways through
/// `targetRef(s)`; a selector there is ineffective.
///
/// istioctl's `k8sgateway.SelectorAnalyzer`: AuthorizationPolicy and
/// RequestAuthentication (Telemetry and WasmPlugin too, kinds meshc does not
/// read) with a selector and no `targetRef(s)`, matched against the workloads
/// of the policy's own namespace that carry the
/// `gateway.networking.k8s.io/gateway-name` label. istioctl looks at Pods;
/// meshc at Pods and pod templates (a Gateway deployed by hand), and reports
/// each Gateway once.
struct IneffectiveSelectorAnalyzer: Analyzer {
    let codes = [Codes.ineffectiveSelector]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds.union([.authorizationPolicy, .requestAuthentication])

    /// The label Istio puts on the pods it deploys for a Kubernetes Gateway.
    static let gatewayNameLabel = "gateway.networking.k8s.io/gateway-name"

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for resource in mesh.resources {
            let selector: WorkloadSelectorMatchLabels?
            switch resource.body {
            case .authorizationPolicy(let spec) where spec.targetRefs.isEmpty: selector = spec.selector
            case .requestAuthentication(let spec) where spec.targetRefs.isEmpty: selector = spec.selector
            default: continue
            }
            guard let labels = selector?.matchLabels else { continue }
            var gateways: [String] = []
            for index in mesh.workloadIndices(in: resource.namespace, matching: labels) {
                guard let gateway = mesh.workloads[index].labels[Self.gatewayNameLabel], !gateways.contains(gateway) else { continue }
                gateways.append(gateway)
            }
            for gateway in gateways {
                sink.report(Codes.ineffectiveSelector, resource, at: labels.mark, path: "spec.selector.matchLabels",
                            "the selector matches the pods of Kubernetes Gateway \(gateway), where a workload selector is ineffective: "
                                + "Istio binds policies to Kubernetes Gateways through targetRefs",
                            hint: "bind the policy with targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: \(gateway)}] "
                                + "instead of the selector")
            }
        }
    }
}
