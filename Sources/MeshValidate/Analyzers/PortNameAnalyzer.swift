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
///   `release: istio` (Istio's own).
///
/// IST0150, from the same istioctl analyzer: on an ExternalName Service the
/// same ports, and also a port named exactly `tcp`, are reported as
/// ExternalNameServiceTypeInvalidPortName instead. Such a Service has no
/// cluster IP, so the sidecar can route its TCP traffic only by SNI.
struct PortNameAnalyzer: Analyzer {
    let codes = [Codes.portNameIsNotUnderNamingConvention, Codes.externalNameServiceTypeInvalidPortName]
    let reads: Set<ResourceKind>? = [.service]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for service in mesh.resources(of: .service) {
            guard case .service(let spec) = service.body, !SystemNamespaces.contains(service.namespace),
                  service.labels["istio"] == nil, service.labels["release"] != "istio" else { continue }
            let externalName = spec.type?.value == "ExternalName"
            for (index, port) in spec.ports.enumerated() {
                if externalName {
                    if PortProtocol.of(port) == nil || port.name?.value == "tcp" { reportExternalName(port, index, service, &sink) }
                } else if PortProtocol.of(port) == nil {
                    report(port, index, service, &sink)
                }
            }
        }
    }

    private func reportExternalName(_ port: ServicePortSpec, _ index: Int, _ service: Resource, _ sink: inout DiagnosticSink) {
        let number = port.port.map { " \($0.value)" } ?? ""
        let what: String, mark: Mark, path: String
        if let app = port.appProtocol, PortProtocol.of(port) == nil {
            (what, mark, path) = ("has appProtocol \"\(app.value)\", which Istio does not know", app.mark, "spec.ports[\(index)].appProtocol")
        } else if let name = port.name {
            let unknown = name.value == "tcp" ? "" : ", which names no protocol Istio knows"
            (what, mark, path) = ("is named \"\(name.value)\"\(unknown)", name.mark, "spec.ports[\(index)].name")
        } else {
            (what, mark, path) = ("has no name", port.port?.mark ?? port.mark, "spec.ports[\(index)]")
        }
        sink.report(Codes.externalNameServiceTypeInvalidPortName, service, at: mark, path: path,
                    "port\(number) of ExternalName Service \(service.name) \(what); the Service has no cluster IP, so the sidecar "
                        + "may not forward TCP or unmatched traffic to it correctly",
                    hint: "for TLS traffic name the port https or tls (or https-<suffix>, tls-<suffix>) so it is routed by SNI; "
                        + "for HTTP name it http or http-<suffix>")
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
