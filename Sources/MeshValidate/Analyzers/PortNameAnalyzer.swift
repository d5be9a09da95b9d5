import MeshDiagnostics
import MeshModel

/// IST0118: Istio reads a Service port's protocol from its `appProtocol`, or
/// else from its name (`<protocol>` or `<protocol>-<suffix>`); a port where it
/// can read none is left to protocol sniffing. istioctl's
/// `service.PortNameAnalyzer`, exactly:
///
/// - an `appProtocol` Istio does not know is reported like a bad name (Istio
///   reads it instead of the name); L4 `protocol: UDP`/`SCTP` settles it;
/// - ports 25, 53, 3306 and 27017 count as TCP without a name;
/// - skipped: the Kubernetes system namespaces, Services labelled `istio` or
///   `release: istio` (Istio's own), and ExternalName Services (istioctl gives
///   them IST0150, a code meshc does not have).
struct PortNameAnalyzer: Analyzer {
    let codes = [Codes.portNameIsNotUnderNamingConvention]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for service in mesh.resources(of: .service) {
            guard case .service(let spec) = service.body, !SystemNamespaces.contains(service.namespace),
                  service.labels["istio"] == nil, service.labels["release"] != "istio",
                  spec.type?.value != "ExternalName" else { continue }
            for (index, port) in spec.ports.enumerated() where PortProtocol.of(port) == nil {
                report(port, index, service, &sink)
            }
        }
    }

    private func report(_ port: ServicePortSpec, _ index: Int, _ service: Resource, _ sink: inout DiagnosticSink) {
        let number = port.port.map { " \($0.value)" } ?? ""
        let prefixes = PortProtocol.portNamePrefixes.joined(separator: ", ")
        if let app = port.appProtocol {
            sink.report(Codes.portNameIsNotUnderNamingConvention, service, at: app.mark, path: "spec.ports[\(index)].appProtocol",
                        "port\(number) has appProtocol \"\(app.value)\", which Istio does not know, so it sniffs the protocol",
                        hint: "use one of \(prefixes) (or kubernetes.io/h2c, kubernetes.io/ws, kubernetes.io/wss)")
        } else if let name = port.name {
            sink.report(Codes.portNameIsNotUnderNamingConvention, service, at: name.mark, path: "spec.ports[\(index)].name",
                        "port\(number) is named \"\(name.value)\", which does not start with a protocol Istio knows, so it sniffs the protocol",
                        hint: "name it <protocol> or <protocol>-<suffix> with a protocol of \(prefixes), or set appProtocol")
        } else {
            sink.report(Codes.portNameIsNotUnderNamingConvention, service, at: port.port?.mark ?? port.mark, path: "spec.ports[\(index)]",
                        "port\(number) has no name and no appProtocol, so Istio sniffs the protocol",
                        hint: "name it <protocol> or <protocol>-<suffix> with a protocol of \(prefixes), or set appProtocol")
        }
    }
}
