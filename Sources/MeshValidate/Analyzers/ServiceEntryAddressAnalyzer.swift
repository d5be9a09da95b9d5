import MeshDiagnostics
import MeshModel

/// IST0134: a ServiceEntry without `addresses` has a TCP port. Without an
/// address the sidecar can only tell TCP services apart by port, so every
/// TCP ServiceEntry on that port shares one listener and the traffic goes to
/// whichever wins.
///
/// istioctl's `serviceentry.ProtocolAddressesAnalyzer`: every port whose
/// protocol is empty or TCP (case-insensitive, as newer istioctl reads it) is
/// reported, whatever the resolution; meshc has no mesh config that turns on
/// DNS address auto-allocation, which is what silences istioctl.
struct ServiceEntryAddressAnalyzer: Analyzer {
    let codes = [Codes.serviceEntryAddressesRequired]
    let reads: Set<ResourceKind>? = [.serviceEntry]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for (resource, spec) in mesh.serviceEntries where spec.addresses.isEmpty {
            for (index, port) in spec.ports.enumerated() {
                let proto = port.protocol?.value ?? ""
                guard proto.isEmpty || proto.uppercased() == "TCP" else { continue }
                let mark = port.protocol?.mark ?? port.number?.mark ?? port.mark
                let path = port.protocol == nil ? "spec.ports[\(index)]" : "spec.ports[\(index)].protocol"
                let number = port.number.map { " \($0.value)" } ?? ""
                sink.report(Codes.serviceEntryAddressesRequired, resource, at: mark, path: path,
                            "port\(number) is TCP but the ServiceEntry has no addresses, so its traffic cannot be told apart from other TCP services on that port",
                            hint: "add spec.addresses (a virtual IP or CIDR), or use an HTTP, HTTPS or TLS protocol")
            }
        }
    }
}
