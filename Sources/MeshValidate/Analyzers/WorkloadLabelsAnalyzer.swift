import MeshDiagnostics
import MeshModel

/// MSH0007: a workload without `app` and `version` labels. Istio's telemetry
/// names the service and its version from them (canonical service and
/// revision), and DestinationRule subsets usually select on `version`.
///
/// Checked: Pods, the pod templates of Deployments, StatefulSets, DaemonSets,
/// ReplicaSets and Jobs, and WorkloadEntries (metadata and spec labels).
/// The Kubernetes recommended labels `app.kubernetes.io/name` and
/// `app.kubernetes.io/version`, and Istio's `service.istio.io/canonical-name`
/// and `canonical-revision`, count too: Istio reads them first. Skipped:
/// gateways (workloads labelled `istio`, including the implicit ingress
/// gateway, and declared gateway Proxies) and the Kubernetes system namespaces.
struct WorkloadLabelsAnalyzer: Analyzer {
    let codes = [Codes.workloadMissingAppVersionLabels]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds

    private static let appLabels = ["app", "app.kubernetes.io/name", "service.istio.io/canonical-name"]
    private static let versionLabels = ["version", "app.kubernetes.io/version", "service.istio.io/canonical-revision"]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        // By index, reading only the fields needed: copying a `Workload` out
        // of the array would retain all of its strings.
        for index in mesh.workloads.indices {
            guard let resource = mesh.workloads[index].resource, resource.kind != .proxy else { continue }
            // One pass over the labels: any `istio` key skips the workload (it is a gateway).
            var hasApp = false, hasVersion = false, isGateway = false
            for entry in mesh.workloads[index].labels.entries {
                if entry.key == "istio" { isGateway = true; break }
                if !hasApp, Self.appLabels.contains(entry.key) { hasApp = true }
                if !hasVersion, Self.versionLabels.contains(entry.key) { hasVersion = true }
            }
            guard !isGateway, !hasApp || !hasVersion, !SystemNamespaces.contains(mesh.workloads[index].namespace) else { continue }
            let workload = mesh.workloads[index]
            var missing: [String] = []
            if !hasApp { missing.append("app") }
            if !hasVersion { missing.append("version") }
            let mark = workload.labels.isEmpty || resource.kind == .workloadEntry ? workload.labelsMark : workload.labels.mark
            let what = missing.map { "\"\($0)\"" }.joined(separator: " and ")
            sink.report(Codes.workloadMissingAppVersionLabels, resource, at: mark, path: workload.labelsPath,
                        "\(workload.kind) \(workload.name) has no \(what) label\(missing.count > 1 ? "s" : "")",
                        hint: "add \(missing.map { "\($0): <\($0 == "app" ? "service name" : "version")>" }.joined(separator: " and ")) so telemetry and subset routing can tell the workload apart")
        }
    }
}
