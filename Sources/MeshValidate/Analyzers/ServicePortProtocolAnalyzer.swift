import MeshDiagnostics
import MeshModel

/// IST0116 and IST0137: the Services that select one workload must agree on
/// how its ports are reached. Istio's `deployment.ServiceAssociationAnalyzer`,
/// applied to every workload a Service can select (Pods, controllers' pod
/// templates, WorkloadEntries), not only Deployments.
///
/// - IST0116 (the seed's rule "a workload in several Services may not use
///   different protocols on one port"): Service ports that reach the same
///   workload port (`targetPort`, a named one resolved through the container
///   ports) with different Istio protocols — from the L4 `protocol` field,
///   `appProtocol` or the name prefix; a name Istio cannot read counts as TCP.
///   istioctl compares only the L4 protocol field per Service port number.
/// - IST0137, exactly as istioctl: one `targetPort` (as written; the port
///   number when absent) reached from more than one Service port number.
///
/// Both are reported on the workload, at its `metadata.name`, as istioctl does.
struct ServicePortProtocolAnalyzer: Analyzer {
    let codes = [Codes.deploymentAssociatedToMultipleServices, Codes.deploymentConflictingPorts]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds.union([.service])

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for (index, services) in mesh.servicesByWorkload.enumerated() where !services.isEmpty {
            // Both checks compare Service ports: one port alone never conflicts.
            guard mesh.portCount(of: services) > 1 else { continue }
            let workload = mesh.workloads[index]
            guard let resource = workload.resource else { continue }
            let ports = mesh.ports(of: services)
            reportProtocolConflicts(ports, workload, resource, &sink)
            reportConflictingPorts(ports, workload, resource, &sink)
        }
    }

    private func reportProtocolConflicts(_ ports: [SelectingServicePort], _ workload: Workload, _ resource: Resource,
                                         _ sink: inout DiagnosticSink) {
        var byTarget: [String: [SelectingServicePort]] = [:]
        for port in ports { byTarget[workloadPort(port, workload), default: []].append(port) }
        for target in byTarget.keys.sorted(by: PortKey.less) {
            let group = byTarget[target, default: []]
            let protocols = Set(group.map(protocolName))
            guard protocols.count > 1 else { continue }
            let uses = group.map { "\(protocolName($0)) by Service \($0.serviceName) port \($0.number) (\(describe($0.port)))" }
            sink.report(Codes.deploymentAssociatedToMultipleServices, resource, at: resource.nameMark, path: "metadata.name",
                        "workload port \(target) is reached with different protocols: \(uses.joined(separator: "; "))",
                        hint: "give every Service port that targets this workload port the same protocol (name prefix, appProtocol or protocol)")
        }
    }

    private func reportConflictingPorts(_ ports: [SelectingServicePort], _ workload: Workload, _ resource: Resource,
                                        _ sink: inout DiagnosticSink) {
        var byTarget: [String: [Int: String]] = [:]
        for port in ports { byTarget[port.targetPortText, default: [:]][port.number] = port.serviceName }
        for target in byTarget.keys.sorted(by: PortKey.less) {
            let numbers = byTarget[target, default: [:]]
            guard numbers.count > 1 else { continue }
            let services = Set(numbers.values).sorted().joined(separator: ", ")
            let list = numbers.keys.sorted().map(String.init).joined(separator: ", ")
            sink.report(Codes.deploymentConflictingPorts, resource, at: resource.nameMark, path: "metadata.name",
                        "Services \(services) map targetPort \(target) of this workload from different ports (\(list))",
                        hint: "Services that select the same workload must use the same port for the same targetPort")
        }
    }

    /// The workload port a Service port reaches: its targetPort, a named one
    /// resolved through the workload's container ports when possible.
    private func workloadPort(_ port: SelectingServicePort, _ workload: Workload) -> String {
        let text = port.targetPortText
        if Int(text) == nil, let named = workload.ports.first(where: { $0.name == text }) { return String(named.number) }
        return text
    }

    private func protocolName(_ port: SelectingServicePort) -> String {
        (PortProtocol.of(port.port) ?? .tcp).rawValue
    }

    private func describe(_ port: ServicePortSpec) -> String {
        if let l4 = port.protocol?.value, ["UDP", "SCTP"].contains(l4.uppercased()) { return "protocol \(l4)" }
        if let app = port.appProtocol?.value { return "appProtocol \"\(app)\"" }
        if let name = port.name?.value { return "name \"\(name)\"" }
        return "unnamed"
    }
}

/// Orders port keys numerically when both are numbers, numbers before names.
enum PortKey {
    static func less(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): x < y
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): a < b
        }
    }
}
