import MeshDiagnostics
import MeshModel

/// Anything traffic can reach: a Pod, a controller's pods, a WorkloadEntry,
/// or the implicit ingress gateway — reduced to namespace, labels and ports.
///
/// A class: the index's tables, selections and analyzers pass workloads
/// around by the ten thousand, and a copy is then one reference (as a
/// struct, a copy retained its resource, labels and ports each).
package final class Workload: Sendable {
    /// The resource that declares it; nil for the implicit ingress gateway.
    package let resource: Resource?
    package let kind: String
    package let namespace: String
    package let name: String
    package let labels: StringMap
    /// Where the labels were written (pod template metadata, spec.labels, …).
    package let labelsMark: Mark
    /// Field path of the labels, for diagnostics (`spec.template.metadata.labels`).
    package let labelsPath: String
    /// Named and numbered ports the workload listens on.
    package let ports: [WorkloadPort]

    init(resource: Resource?, kind: String, namespace: String, name: String, labels: StringMap, labelsMark: Mark,
         labelsPath: String, ports: [WorkloadPort]) {
        self.resource = resource
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.labels = labels
        self.labelsMark = labelsMark
        self.labelsPath = labelsPath
        self.ports = ports
    }

    package struct WorkloadPort: Sendable, Hashable {
        package var name: String?
        package var number: Int
    }

    /// True when this workload carries every label of `selector`.
    package func matches(_ selector: StringMap) -> Bool { selector.selects(labels) }

    /// Istio's implicit ingress gateway, assumed when none is declared.
    package static let implicitIngressGateway = Workload(
        resource: nil, kind: "Deployment", namespace: "istio-system", name: "istio-ingressgateway",
        labels: StringMap([("istio", Located("ingressgateway", at: .start)), ("app", Located("istio-ingressgateway", at: .start))]),
        labelsMark: .start, labelsPath: "", ports: [WorkloadPort(name: "http2", number: 8080), WorkloadPort(name: "https", number: 8443)])

    /// True for the resources `from` reads (a proxy only gives a workload
    /// when it is a gateway; it is read either way).
    static func mayRead(_ resource: Resource) -> Bool {
        switch resource.body {
        case .workload, .workloadEntry, .proxy: true
        default: false
        }
    }

    /// The workload a resource declares, if it declares one.
    package static func from(_ resource: Resource) -> Workload? {
        switch resource.body {
        case .workload(let spec):
            let ports = spec.containers.flatMap { $0.ports }.compactMap { port in
                port.containerPort.map { WorkloadPort(name: port.name?.value, number: $0.value) }
            }
            if let template = spec.templateLabels {
                return Workload(resource: resource, kind: resource.kind.rawValue, namespace: resource.namespace, name: resource.name,
                                labels: template, labelsMark: spec.templateMark ?? resource.mark,
                                labelsPath: "spec.template.metadata.labels", ports: ports)
            }
            return Workload(resource: resource, kind: resource.kind.rawValue, namespace: resource.namespace, name: resource.name,
                            labels: resource.labels, labelsMark: resource.metadata.mark, labelsPath: "metadata.labels", ports: ports)
        case .workloadEntry(let spec):
            var labels = resource.labels
            if let own = spec.labels {
                // Mostly there are no metadata labels: share spec.labels' entries instead of copying them.
                if labels.isEmpty { labels.entries = own.entries } else { labels.entries.append(contentsOf: own.entries) }
            }
            let ports = spec.ports.map { WorkloadPort(name: $0.key.value, number: $0.value.value) }
            return Workload(resource: resource, kind: resource.kind.rawValue, namespace: resource.namespace, name: resource.name,
                            labels: labels, labelsMark: spec.labels?.mark ?? resource.metadata.mark,
                            labelsPath: spec.labels == nil ? "metadata.labels" : "spec.labels", ports: ports)
        case .proxy(let spec) where spec.role?.value == "gateway":
            // A declared gateway is the workload its Gateways select: its labels, the mesh ports it declares.
            let labels = spec.labels ?? StringMap(mark: resource.specMark)
            return Workload(resource: resource, kind: resource.kind.rawValue, namespace: resource.namespace, name: resource.name,
                            labels: labels, labelsMark: labels.mark, labelsPath: "spec.labels",
                            ports: spec.ports.compactMap { $0.port.map { WorkloadPort(name: nil, number: $0.value) } })
        default:
            return nil
        }
    }
}
