import MeshDiagnostics
import MeshModel

/// IST0101: gateways, destination hosts, ports and subsets a VirtualService names exist.
/// istioctl splits this over virtualservice.GatewayAnalyzer, DestinationHostAnalyzer
/// and DestinationRuleAnalyzer; the checks are the same.
struct ReferencedResourceAnalyzer: Analyzer {
    let codes = [Codes.referencedResourceNotFound]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for vs in mesh.virtualServices {
            checkGateways(vs, mesh, &sink)
            for destination in vs.destinations {
                checkDestination(destination, vs.resource, mesh, &sink)
            }
        }
    }

    private func checkGateways(_ vs: RoutedVirtualService, _ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for binding in vs.gatewayBindings where binding.gateway == nil {
            reportMissingGateway(binding.ref, vs.resource, &sink, path: "spec.gateways[\(binding.index)]")
        }
        for match in vs.spec.matchGateways {
            checkGateway(match.ref, vs.resource, mesh, &sink, path: match.path)
        }
    }

    private func checkGateway(_ ref: Located<String>, _ resource: Resource, _ mesh: MeshIndex, _ sink: inout DiagnosticSink,
                              path: @autoclosure () -> String) {
        guard ref.value != MeshRoutes.meshGateway else { return }
        guard mesh.gatewayTable.index(ofRef: ref.value, namespace: resource.namespace) == nil else { return }
        reportMissingGateway(ref, resource, &sink, path: path())
    }

    private func reportMissingGateway(_ ref: Located<String>, _ resource: Resource, _ sink: inout DiagnosticSink,
                                      path: @autoclosure () -> String) {
        let parts = Hosts.gatewayRef(ref.value, defaultNamespace: resource.namespace)
        sink.report(Codes.referencedResourceNotFound, resource, at: ref.mark, path: path(),
                    "gateway \"\(ref.value)\" not found (looked for Gateway \(parts.namespace)/\(parts.name))",
                    hint: "Create the Gateway, or name an existing one as <namespace>/<name>; use \"mesh\" for sidecar traffic")
    }

    private func checkDestination(_ resolved: ResolvedDestination, _ resource: Resource, _ mesh: MeshIndex,
                                  _ sink: inout DiagnosticSink) {
        let sited = resolved.sited, host = sited.host, fqdn = resolved.fqdn
        guard let target = resolved.target else {
            let what = sited.site.isRoute ? "destination host" : "mirror host"
            sink.report(Codes.referencedResourceNotFound, resource, at: host.mark, path: sited.site.path + ".host",
                        "\(what) \"\(host.value)\" (\(fqdn)) matches no Service or ServiceEntry",
                        hint: "Fix the host name, or declare the Service or a ServiceEntry for it")
            return
        }
        if let port = sited.destination.port?.number, !target.hasPort(port.value),
           target.portCount > 0 || isServiceTarget(target) {
            let known = target.ports.map(String.init).joined(separator: ", ")
            sink.report(Codes.referencedResourceNotFound, resource, at: port.mark, path: sited.site.path + ".port.number",
                        "port \(port.value) is not a port of \(fqdn) (ports: \(known.isEmpty ? "none" : known))",
                        hint: "Route to one of the ports the service declares")
        }
        if let subset = sited.destination.subset, !mesh.subsetExists(subset.value, host: resolved.hostID, named: fqdn) {
            sink.report(Codes.referencedResourceNotFound, resource, at: subset.mark, path: sited.site.path + ".subset",
                        "subset \"\(subset.value)\" is not defined by any DestinationRule for host \(fqdn)",
                        hint: "Add the subset to the DestinationRule for \(fqdn), or route without a subset")
        }
    }

    /// Kubernetes Services always list their ports; ServiceEntries without ports accept any.
    private func isServiceTarget(_ target: ServiceTarget) -> Bool {
        if case .serviceEntry = target { return false }
        return true
    }
}
