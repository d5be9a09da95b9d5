import MeshDiagnostics
import MeshModel

/// IST0112: a destination (route, mirror or mirrors; mesh- or gateway-bound
/// VirtualService alike, as istioctl checks) names a Service or ServiceEntry
/// with more than one port and no `port.number`, so the port is ambiguous.
struct DestinationPortAnalyzer: Analyzer {
    let codes = [Codes.virtualServiceDestinationPortSelectorRequired]
    let reads: Set<ResourceKind>? = [.virtualService, .service, .serviceEntry]
    let perVirtualService = true

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for vs in mesh.virtualServices {
            for resolved in vs.destinations where resolved.sited.destination.port?.number == nil {
                guard let target = resolved.target, target.portCount > 1 else { continue }
                let sited = resolved.sited, fqdn = resolved.fqdn, ports = target.ports
                let list = ports.map(String.init).joined(separator: ", ")
                sink.report(Codes.virtualServiceDestinationPortSelectorRequired, vs.resource, at: sited.host.mark,
                            path: sited.site.path + ".host",
                            "\(fqdn) exposes ports \(list) and the destination chooses none",
                            hint: "Add port.number to the destination (one of \(list))")
            }
        }
    }
}
