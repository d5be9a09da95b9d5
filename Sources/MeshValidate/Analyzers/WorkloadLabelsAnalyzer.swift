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
/// gateway) and the Kubernetes system namespaces.
struct WorkloadLabelsAnalyzer: Analyzer {
    let codes = [Codes.workloadMissingAppVersionLabels]

    private static let appLabels = ["app", "app.kubernetes.io/name", "service.istio.io/canonical-name"]
    private static let versionLabels = ["version", "app.kubernetes.io/version", "service.istio.io/canonical-revision"]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for workload in mesh.workloads {
            guard let resource = workload.resource, workload.labels["istio"] == nil,
                  !SystemNamespaces.contains(workload.namespace) else { continue }
            var missing: [String] = []
            if !Self.appLabels.contains(where: { workload.labels[$0] != nil }) { missing.append("app") }
            if !Self.versionLabels.contains(where: { workload.labels[$0] != nil }) { missing.append("version") }
            guard !missing.isEmpty else { continue }
            let mark = workload.labels.isEmpty || resource.kind == .workloadEntry ? workload.labelsMark : workload.labels.mark
            let what = missing.map { "\"\($0)\"" }.joined(separator: " and ")
            sink.report(Codes.workloadMissingAppVersionLabels, resource, at: mark, path: workload.labelsPath,
                        "\(workload.kind) \(workload.name) has no \(what) label\(missing.count > 1 ? "s" : "")",
                        hint: "add \(missing.map { "\($0): <\($0 == "app" ? "service name" : "version")>" }.joined(separator: " and ")) so telemetry and subset routing can tell the workload apart")
        }
    }
}
