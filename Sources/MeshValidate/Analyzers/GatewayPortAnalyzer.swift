import MeshDiagnostics
import MeshModel

/// IST0162: a Gateway server port that no Service of the selected gateway
/// workload exposes, so clients cannot reach that listener through the
/// gateway's Service.
///
/// istioctl's `gateway.IngressGatewayPortAnalyzer` with its fix for
/// istio/istio#51257: the TCP ports of the Services that select the gateway
/// workloads (workloads in any namespace matching `spec.selector`) are
/// collected; a server port passes when it equals a Service `port` (the
/// gateway translates it to the `targetPort`) or a numeric `targetPort` (the
/// listener's own port). A missing L4 `protocol` counts as TCP (Kubernetes'
/// default). The implicit `istio-system/istio-ingressgateway`, when no Service
/// selects it, exposes Istio's defaults (80→8080, 443→8443, 15021); a declared
/// gateway `kind: Proxy` is a workload exposing the mesh ports it lists. A
/// selector that matches no workload is IST0101, as istioctl reports it.
struct GatewayPortAnalyzer: Analyzer {
    let codes = [Codes.gatewayPortNotDefinedOnService, Codes.referencedResourceNotFound]
    let reads: Set<ResourceKind>? = ResourceKind.workloadKinds.union([.gateway, .service])

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for (resource, spec) in mesh.gateways {
            let selector = spec.selector ?? StringMap(mark: resource.specMark)
            let selected = mesh.workloadIndices(in: nil, matching: selector)
            guard !selected.isEmpty else {
                sink.report(Codes.referencedResourceNotFound, resource, at: selector.mark, path: "spec.selector",
                            "the selector \(describe(selector)) matches no gateway workload",
                            hint: "fix the labels so they match the gateway's Pod or Deployment, or declare the gateway workload")
                continue
            }
            // A declared gateway Proxy without ports listens on every server port (+ --port-offset): nothing to check.
            if selected.contains(where: { mesh.workloads[$0].resource?.kind == .proxy && mesh.workloads[$0].ports.isEmpty }) { continue }
            var exposed: Set<Int> = []
            for index in selected { exposed.formUnion(ports(of: index, mesh)) }
            for (serverIndex, server) in spec.servers.enumerated() {
                guard let number = server.port?.number, !exposed.contains(number.value) else { continue }
                let list = exposed.sorted().map(String.init).joined(separator: ", ")
                sink.report(Codes.gatewayPortNotDefinedOnService, resource, at: number.mark, path: "spec.servers[\(serverIndex)].port.number",
                            "port \(number.value) is not exposed by any Service of the gateway workload (selector \(describe(selector)))",
                            hint: list.isEmpty ? "add a Service that selects the gateway workload and exposes this port"
                                : "use a port the gateway Service exposes (\(list)), or add this port to the Service")
            }
        }
    }

    /// The Service ports and numeric target ports that reach workload `index`.
    private func ports(of index: Int, _ mesh: MeshIndex) -> Set<Int> {
        let services = mesh.servicesByWorkload[index]
        // A declared gateway Proxy takes the mesh ports it lists (`spec.ports[].port`), Service or not.
        var result: Set<Int> = mesh.workloads[index].resource?.kind == .proxy ? Set(mesh.workloads[index].ports.map(\.number)) : []
        if services.isEmpty, mesh.workloads[index].resource == nil {
            return Set(MeshIndex.implicitIngressServicePorts.flatMap { [$0.port, $0.targetPort] })
        }
        for port in mesh.ports(of: services) where (port.port.protocol?.value ?? "TCP").uppercased() == "TCP" {
            if let number = port.port.port?.value { result.insert(number) }
            if case .int(let target)? = port.port.targetPort?.value, target != 0 { result.insert(target) }
        }
        return result
    }

    private func describe(_ selector: StringMap) -> String {
        selector.isEmpty ? "{}" : selector.entries.map { "\($0.key)=\($0.value.value)" }.joined(separator: ",")
    }
}
