import MeshDiagnostics
import MeshModel

/// IST0112: a destination (route, mirror or mirrors; mesh- or gateway-bound
/// VirtualService alike, as istioctl checks) names a Service or ServiceEntry
/// with more than one port and no `port.number`, so the port is ambiguous.
struct DestinationPortAnalyzer: Analyzer {
    let codes = [Codes.virtualServiceDestinationPortSelectorRequired]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for (resource, spec) in mesh.routedVirtualServices {
            for sited in spec.sitedDestinations where sited.destination.port?.number == nil {
                let fqdn = mesh.fqdn(sited.host.value, namespace: resource.namespace)
                guard let ports = mesh.target(forHost: fqdn)?.ports, ports.count > 1 else { continue }
                let list = ports.map(String.init).joined(separator: ", ")
                sink.report(Codes.virtualServiceDestinationPortSelectorRequired, resource, at: sited.host.mark,
                            path: sited.site.path + ".host",
                            "\(fqdn) exposes ports \(list) and the destination chooses none",
                            hint: "Add port.number to the destination (one of \(list))")
            }
        }
    }
}
