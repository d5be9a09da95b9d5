import MeshDiagnostics
import MeshModel

/// IST0144: an application runs as UID 1337, the user ID Istio reserves for
/// the sidecar proxy. The sidecar's iptables rules let outbound traffic from
/// that UID pass uncaptured (so Envoy's own traffic does not loop back into
/// it), so the application's calls would bypass the proxy: no mutual TLS, no
/// routing rules, no telemetry.
///
/// istioctl's `deployment.ApplicationUIDAnalyzer`: a pod-level
/// `securityContext.runAsUser: 1337`, and the same on any container but
/// `istio-proxy` and `istio-operator`, each reported; resources labelled
/// `istio` or `release: istio` (Istio's own) are skipped. istioctl reads Pods
/// and Deployments; meshc reads every pod template (StatefulSet, DaemonSet,
/// ReplicaSet and Job too).
struct ApplicationUIDAnalyzer: Analyzer {
    let codes = [Codes.invalidApplicationUID]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds

    /// The proxy's UID (`1337` in Istio's injection templates).
    static let proxyUID = 1337
    static let exemptContainers: Set<String> = ["istio-proxy", "istio-operator"]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for resource in mesh.resources {
            guard case .workload(let spec) = resource.body, resource.labels["istio"] == nil,
                  resource.labels["release"] != "istio" else { continue }
            let podPath = spec.isTemplate ? "spec.template.spec" : "spec"
            if let user = spec.securityContext?.runAsUser, user.value == Self.proxyUID {
                report(user.mark, "\(podPath).securityContext.runAsUser", "the pod's securityContext runs its containers", resource, &sink)
            }
            for (index, container) in spec.containers.enumerated() where !Self.exemptContainers.contains(container.name?.value ?? "") {
                guard let user = container.securityContext?.runAsUser, user.value == Self.proxyUID else { continue }
                report(user.mark, "\(podPath).containers[\(index)].securityContext.runAsUser",
                       "container \(container.name?.value ?? "#\(index)") runs", resource, &sink)
            }
        }
    }

    private func report(_ mark: Mark, _ path: String, _ subject: String, _ resource: Resource, _ sink: inout DiagnosticSink) {
        sink.report(Codes.invalidApplicationUID, resource, at: mark, path: path,
                    "\(subject) as UID 1337, which is reserved for the sidecar proxy; the sidecar does not capture that user's "
                        + "outgoing traffic, so the application's calls bypass mutual TLS, routing rules and telemetry",
                    hint: "run the application as any other user ID")
    }
}
