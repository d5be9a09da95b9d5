import MeshDiagnostics
import MeshModel

/// Per-resource field rules, as Istio's admission webhook applies them
/// (IST0106 SchemaValidationError with the exact field path).
package enum FieldValidation {
    /// Checks one resource's fields; needs no other resource.
    package static func validate(_ resource: Resource, _ sink: inout DiagnosticSink) {
        var check = FieldChecker(resource: resource)
        check.metadata()
        switch resource.body {
        case .service(let spec): check.service(spec)
        case .workload, .namespace: break
        case .gateway(let spec): check.gateway(spec)
        case .virtualService(let spec): check.virtualService(spec)
        case .destinationRule(let spec): check.destinationRule(spec)
        case .serviceEntry(let spec): check.serviceEntry(spec)
        case .workloadEntry(let spec): check.workloadEntry(spec)
        case .workloadGroup(let spec): check.workloadGroup(spec)
        case .sidecar(let spec): check.sidecar(spec)
        case .peerAuthentication(let spec): check.peerAuthentication(spec)
        case .authorizationPolicy(let spec): check.authorizationPolicy(spec)
        case .requestAuthentication(let spec): check.requestAuthentication(spec)
        case .telemetry(let spec): check.telemetry(spec)
        case .proxy(let spec): check.proxy(spec)
        case .meshConfig(let spec): check.meshConfig(spec)
        case .secret(let spec): check.secret(spec)
        case .configMap, .mutatingWebhookConfiguration: break
        }
        check.schemaWarnings()
        sink.append(contentsOf: check.sink.diagnostics)
    }
}

/// Walks one resource and reports IST0106 for each field rule it breaks.
/// The per-kind rules live in extensions, one file per kind.
struct FieldChecker {
    let resource: Resource
    var sink = DiagnosticSink()

    init(resource: Resource) { self.resource = resource }

    /// Reports IST0106 at `mark`. Path and message are built only on failure.
    mutating func fail(_ mark: Mark, _ path: @autoclosure () -> String, _ message: @autoclosure () -> String, hint: String) {
        sink.schema(resource, at: mark, path: path(), message(), hint: hint)
    }

    /// Reports when `condition` is false.
    mutating func require(_ condition: Bool, _ mark: Mark, _ path: @autoclosure () -> String,
                          _ message: @autoclosure () -> String, hint: String) {
        if !condition { fail(mark, path(), message(), hint: hint) }
    }

    /// Where a whole object sits when the offending field is missing.
    var specMark: Mark { resource.specMark }
}
