import MeshDiagnostics
import MeshModel

/// IST0174: a DestinationRule's host (FQDN-resolved in the rule's namespace)
/// matches no Service or ServiceEntry, so its policies apply to nothing. A
/// wildcard host counts when it covers at least one service.
struct DestinationRuleHostAnalyzer: Analyzer {
    let codes = [Codes.unknownDestinationRuleHost]
    let reads: Set<ResourceKind>? = [.destinationRule, .service, .serviceEntry]

    func analyze(_ mesh: MeshIndex, _ sink: inout DiagnosticSink) {
        for rule in mesh.destinationRules {
            guard let host = rule.spec.host, !host.value.isEmpty, let fqdn = rule.fqdn, let id = rule.hostID else { continue }
            let resource = rule.resource
            guard !mesh.anyServiceIntersects(fqdn, id: id) else { continue }
            sink.report(Codes.unknownDestinationRuleHost, resource, at: host.mark, path: "spec.host",
                        "host \"\(host.value)\" (\(fqdn)) matches no Service or ServiceEntry, so this rule applies to nothing",
                        hint: "Fix the host name, or declare the Service or a ServiceEntry for it")
        }
    }
}
